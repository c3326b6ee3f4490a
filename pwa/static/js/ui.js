// @ts-check
// Small pieces every page shares: finding elements, showing the connection
// state and the server's verdicts, flashing the screen, remembering settings
// and registering the service worker.

import { okBeep, unlockOnGesture, wrongBuzz } from './sound.js';

/**
 * The element with an id, checked to be of the expected kind.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} kind
 * @returns {T}
 */
export function byId(id, kind) {
  const el = document.getElementById(id);
  if (!(el instanceof kind)) throw new Error(`page has no #${id} of kind ${kind.name}`);
  return el;
}

/**
 * Sets the text of the element with an id.
 * @param {string} id
 * @param {string} text
 */
export function setText(id, text) {
  byId(id, HTMLElement).textContent = text;
}

/**
 * A new element with a class and text.
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
export function make(tag, className = '', text = '') {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text) el.textContent = text;
  return el;
}

/** Registers the service worker and arms the sound. Call once per page. */
export function startPage() {
  unlockOnGesture();
  // Service workers exist only in secure contexts (HTTPS or localhost).
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch((err) => {
      console.warn('shipshape: service worker not registered', err);
    });
  }
}

/**
 * Shows the websocket's state in #conn: idle before the page has a socket,
 * then the states the socket reports.
 * @param {'idle' | 'connecting' | 'open' | 'closed'} state
 * @param {number} retryInMs
 */
export function showConn(state, retryInMs) {
  const el = byId('conn', HTMLElement);
  el.dataset.state = state;
  if (state === 'idle') {
    el.textContent = 'Not connected';
  } else if (state === 'open') {
    el.textContent = 'Online';
  } else if (state === 'connecting') {
    el.textContent = 'Connecting…';
  } else {
    el.textContent = `Offline – retry in ${Math.max(1, Math.round(retryInMs / 1000))} s`;
  }
}

/**
 * Follows the websocket: shows its state, and on each (re)connect asks the
 * browser to look for a new service worker, since a reconnect often means the
 * server was restarted, perhaps with a new release. A page left open all
 * shift still runs its old modules; the new release arrives on its next load.
 * @param {'connecting' | 'open' | 'closed'} state
 * @param {number} retryInMs
 */
export function connChanged(state, retryInMs) {
  showConn(state, retryInMs);
  if (state !== 'open' || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.getRegistration().then((reg) => reg?.update()).catch((err) => {
    console.warn('shipshape: service worker update check failed', err);
  });
}

/**
 * Shows the server's answer in #verdict, with sound and a flash.
 * @param {boolean} ok
 * @param {string} message
 * @param {string} [code] what was scanned, shown in #last-code
 */
export function showVerdict(ok, message, code) {
  const el = byId('verdict', HTMLElement);
  el.className = ok ? 'ok' : 'wrong';
  el.dataset.ok = String(ok);
  el.textContent = message || (ok ? 'OK' : 'Wrong');
  if (code !== undefined) setText('last-code', code);
  signal(ok);
}

/**
 * Shows in #verdict that a scan is on its way, clearing the last answer.
 * @param {string} code
 */
export function showSending(code) {
  const el = byId('verdict', HTMLElement);
  el.className = 'pending';
  delete el.dataset.ok;
  el.textContent = 'Checking…';
  setText('last-code', code);
}

/**
 * Shows a problem of the connection rather than a verdict: nothing was
 * decided about the scan, but the worker must act, so it buzzes too.
 * @param {string} message
 */
export function showTrouble(message) {
  const el = byId('verdict', HTMLElement);
  el.className = 'offline';
  delete el.dataset.ok;
  el.textContent = message;
  signal(false);
}

/**
 * Returns the handler for a command that got no answer in time: it tells the
 * worker whether the command never left (no connection) or left and was not
 * answered, so they know whether to repeat it or check first.
 * @param {Record<string, string>} buttons button labels by command type
 * @param {string} check what to check before scanning again
 * @returns {(cmd: import('./ws.js').Command, sent: boolean) => void}
 */
export function timeoutHandler(buttons, check) {
  return (cmd, sent) => {
    if (cmd.type !== 'scan') {
      const button = buttons[cmd.type] ?? cmd.type;
      showTrouble(`Not sent: no connection. Press ${button} again when online.`);
    } else if (sent) {
      showTrouble(`No answer for ${cmd.code}. Check ${check} before scanning again.`);
    } else {
      showTrouble(`Not sent: no connection. Scan ${cmd.code} again when online.`);
    }
  };
}

/**
 * Beeps or buzzes and flashes the whole screen green or red.
 * @param {boolean} ok
 */
export function signal(ok) {
  if (ok) okBeep();
  else wrongBuzz();

  const flash = document.getElementById('flash');
  if (!flash) return;
  flash.className = '';
  void flash.offsetWidth; // restart the animation when two flashes follow closely
  flash.className = ok ? 'flash-ok' : 'flash-wrong';
}

/**
 * A setting kept in localStorage, or '' when there is none or storage is
 * blocked.
 * @param {string} key
 * @returns {string}
 */
export function recall(key) {
  try {
    return localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

/**
 * Keeps a setting in localStorage when the browser allows it.
 * @param {string} key
 * @param {string} value
 */
export function remember(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private browsing: the page asks again next time.
  }
}

/**
 * Wires a name prompt: the input shows the remembered name, and submitting
 * the form calls start with the trimmed name. The input gets the focus.
 * @param {string} inputId
 * @param {string} key the localStorage key the name is remembered under
 * @param {(name: string) => void} start
 */
export function namePrompt(inputId, key, start) {
  const name = byId(inputId, HTMLInputElement);
  name.value = recall(key);
  byId('login', HTMLFormElement).addEventListener('submit', (ev) => {
    ev.preventDefault();
    start(name.value.trim());
  });
  name.focus();
}

/**
 * Fetches an API path and returns its JSON, or throws an Error with the
 * server's message (named NetworkError when the server did not answer). The
 * bar's #conn says whether the server answered, for pages without a socket.
 * @param {string} path
 * @param {RequestInit} [init]
 * @returns {Promise<any>}
 */
export async function fetchJSON(path, init = {}) {
  const res = await reach(path, init);
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error ?? `The server answered ${res.status}.`);
  return body;
}

/**
 * Fetches an API path's bytes, or throws an Error as fetchJSON does.
 * @param {string} path
 * @returns {Promise<Uint8Array>}
 */
export async function fetchBytes(path) {
  const res = await reach(path, {});
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new Error(body?.error ?? `The server answered ${res.status}.`);
  }
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * @param {string} path
 * @param {RequestInit} init
 * @returns {Promise<Response>}
 */
async function reach(path, init) {
  try {
    const res = await fetch(path, { cache: 'no-store', ...init });
    showReached(true);
    return res;
  } catch {
    showReached(false);
    const err = new Error('No connection to the server.');
    err.name = 'NetworkError';
    throw err;
  }
}

/** @param {boolean} online */
function showReached(online) {
  const el = byId('conn', HTMLElement);
  el.dataset.state = online ? 'open' : 'closed';
  el.textContent = online ? 'Online' : 'Offline';
}
