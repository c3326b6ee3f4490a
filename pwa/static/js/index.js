// @ts-check
// The start page only needs the service worker, so that the app installs
// from whichever page a device opens first.

import { startPage } from './ui.js';

startPage();
