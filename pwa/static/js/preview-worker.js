// @ts-check
// The module Web Worker that draws label previews. It imports the vendored
// renderer (zpl-renderer-js: zebrash, a Go ZPL renderer, compiled to
// WebAssembly), which is megabytes of code: preview.js starts this worker
// only when a preview is first asked for, so no page loads it before then,
// and drawing never blocks the page.
//
// Message in:  { id, zpl, widthMm, heightMm, dpmm }
// Message out: { id, pngs } (one base64 PNG per label) or { id, error }

import { ready } from '../vendor/zpl-renderer-js/index.esm.js';

const scope = /** @type {DedicatedWorkerGlobalScope} */ (/** @type {unknown} */ (self));

scope.addEventListener('message', async (event) => {
  const { id, zpl, widthMm, heightMm, dpmm } = event.data;
  try {
    const { api } = await ready;
    const pngs = await api.zplToBase64MultipleAsync(zpl, widthMm, heightMm, dpmm);
    scope.postMessage({ id, pngs: Array.from(pngs ?? []) });
  } catch (err) {
    scope.postMessage({ id, error: String(/** @type {any} */ (err)?.message ?? err) });
  }
});
