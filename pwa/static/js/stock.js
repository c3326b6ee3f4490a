// @ts-check
// The handheld page for stock work: receive goods into a bin, move stock
// between bins and count a bin blind. The worker picks a mode, then scans a
// bin, an item (for a count, then a lot or none) and a quantity as #prompt
// asks; the page posts the command
// to the stock or count API and shows the server's answer. Like the other
// pages it decides nothing itself, and a count never shows what the system
// expects: the page asks for nothing that would tell it.

import { attachScanner } from './scanner.js';
import {
  byId, make, namePrompt, recall, remember, setText, showSending, showTrouble, showVerdict, startPage,
} from './ui.js';
import { newId } from './ws.js';

/**
 * One thing to scan or type: the field it fills in the request, its label
 * in the list of what has been scanned and the prompt that asks for it.
 * @typedef {object} Step
 * @property {string} field
 * @property {string} label
 * @property {string} prompt
 * @property {'code' | 'qty'} kind
 * @property {number} [min] the least quantity the API takes
 * @property {boolean} [optional] Enter on an empty field answers it with ''
 */

/**
 * @typedef {object} Mode
 * @property {string} url
 * @property {Step[]} steps
 * @property {(body: Record<string, unknown>, answer: any) => string} done
 *   the message for a successful answer
 */

const NAME_KEY = 'shipshape.stock-worker';
const MODE_KEY = 'shipshape.stock-mode';

/** A command left unanswered this long is reported; it can be sent again. */
const TIMEOUT_MS = 10000;

/** Quantities above this are taken for a scanned code, not a count. */
const MAX_QTY = 99999;

/** @type {Record<string, Mode>} */
const MODES = {
  receive: {
    url: '/api/v1/stock/receive',
    steps: [
      { field: 'bin', label: 'Bin', prompt: 'Scan the bin to receive into', kind: 'code' },
      { field: 'sku', label: 'Item', prompt: 'Scan the item', kind: 'code' },
      { field: 'qty', label: 'Qty', prompt: 'Enter the quantity received', kind: 'qty', min: 1 },
    ],
    done: (b) => `Received ${b.qty} × ${b.sku} into ${b.bin}`,
  },
  move: {
    url: '/api/v1/stock/move',
    steps: [
      { field: 'from_bin', label: 'From', prompt: 'Scan the bin it comes out of', kind: 'code' },
      { field: 'sku', label: 'Item', prompt: 'Scan the item', kind: 'code' },
      { field: 'qty', label: 'Qty', prompt: 'Enter the quantity to move', kind: 'qty', min: 1 },
      { field: 'to_bin', label: 'To', prompt: 'Scan the bin to put it in', kind: 'code' },
    ],
    done: (b) => `Moved ${b.qty} × ${b.sku} from ${b.from_bin} to ${b.to_bin}`,
  },
  count: {
    url: '/api/v1/counts',
    steps: [
      { field: 'bin', label: 'Bin', prompt: 'Scan the bin to count', kind: 'code' },
      { field: 'sku', label: 'Item', prompt: 'Scan the item', kind: 'code' },
      // No lot counts the bin's stock without a lot, even of an item kept in
      // lots: each lot is counted on its own.
      {
        field: 'lot', label: 'Lot', prompt: 'Scan the lot, or press Enter for none', kind: 'code',
        optional: true,
      },
      { field: 'counted', label: 'Counted', prompt: 'Count them and enter the number (0 if none)', kind: 'qty', min: 0 },
    ],
    // Blind: the answer is only "recorded" or "recorded, waiting for a
    // supervisor", and the page shows nothing else.
    done: (_b, answer) => String(answer?.message ?? 'recorded'),
  },
};

let user = '';

/** @type {string} */
let mode = '';

/** What has been scanned for the command being built. */
let values = /** @type {Record<string, string | number>} */ ({});

/**
 * The last command sent without an answer, kept with its id so that sending
 * it again counts it once.
 * @type {{mode: string, body: Record<string, unknown>} | null}
 */
let unanswered = null;

let busy = false;

function main() {
  startPage();

  namePrompt('worker-name', NAME_KEY, start);

  attachScanner(byId('scan-form', HTMLFormElement), byId('scan', HTMLInputElement), scan,
    byId('keyboard', HTMLButtonElement), () => !busy && nextStep()?.optional === true);
  for (const m of Object.keys(MODES)) {
    byId(`mode-${m}`, HTMLButtonElement).addEventListener('click', () => choose(m));
  }
  byId('restart', HTMLButtonElement).addEventListener('click', () => reset());
  byId('retry', HTMLButtonElement).addEventListener('click', retry);
  byId('logout', HTMLButtonElement).addEventListener('click', logout);
  window.addEventListener('online', () => showOnline(true));
  window.addEventListener('offline', () => showOnline(false));
}

/** @param {string} name */
function start(name) {
  if (!name) {
    byId('worker-name', HTMLInputElement).focus();
    return;
  }
  user = name;
  remember(NAME_KEY, name);
  setText('user', name);
  showOnline(navigator.onLine);
  byId('login', HTMLElement).hidden = true;
  byId('work', HTMLElement).hidden = false;
  const last = recall(MODE_KEY);
  choose(last in MODES ? last : 'receive');
}

function logout() {
  user = '';
  reset();
  setText('user', '');
  byId('work', HTMLElement).hidden = true;
  byId('login', HTMLElement).hidden = false;
  byId('worker-name', HTMLInputElement).focus();
}

/** @param {string} m */
function choose(m) {
  mode = m;
  remember(MODE_KEY, m);
  for (const k of Object.keys(MODES)) {
    byId(`mode-${k}`, HTMLButtonElement).setAttribute('aria-pressed', String(k === m));
  }
  reset();
}

/** Starts the current mode's command afresh and clears the last answer. */
function reset() {
  values = {};
  unanswered = null;
  byId('retry', HTMLButtonElement).hidden = true;
  const v = byId('verdict', HTMLElement);
  v.className = '';
  delete v.dataset.ok;
  v.textContent = '';
  setText('last-code', '');
  show();
  byId('scan', HTMLInputElement).focus();
}

/** The step waiting for input, or null when the command is complete. */
function nextStep() {
  return MODES[mode]?.steps.find((s) => !(s.field in values)) ?? null;
}

/** Shows the prompt and what has been scanned so far. */
function show() {
  const m = MODES[mode];
  const next = nextStep();
  setText('prompt', busy ? 'Sending…' : next?.prompt ?? '');
  // A quantity is typed: bring up the number pad unless the scanner is used.
  const input = byId('scan', HTMLInputElement);
  const wantPad = next?.kind === 'qty';
  if (wantPad && input.inputMode === 'none') input.inputMode = 'numeric';
  if (!wantPad && input.inputMode === 'numeric') input.inputMode = 'none';

  const list = byId('steps', HTMLElement);
  list.replaceChildren();
  if (!m) return;
  for (const s of m.steps) {
    const have = s.field in values;
    if (!have && s !== next) continue;
    const value = values[s.field] === '' ? 'none' : String(values[s.field]);
    list.append(make('dt', '', s.label), make('dd', have ? '' : 'next', have ? value : '…'));
  }
}

/** @param {string} code */
function scan(code) {
  if (busy) {
    showVerdict(false, 'Wait for the answer to the last command', code);
    return;
  }
  const step = nextStep();
  if (!step) return;
  if (unanswered) {
    // A new scan starts a new command: the unanswered one is given up.
    unanswered = null;
    byId('retry', HTMLButtonElement).hidden = true;
  }
  if (step.kind === 'qty') {
    if (!/^\d+$/.test(code) || Number(code) > MAX_QTY) {
      showVerdict(false, `${code} is not a quantity: enter a number up to ${MAX_QTY}`, code);
      return;
    }
    const n = Number(code);
    if (n < (step.min ?? 0)) {
      showVerdict(false, `Enter a quantity of at least ${step.min}`, code);
      return;
    }
    values[step.field] = n;
  } else {
    values[step.field] = code;
  }
  setText('last-code', code);

  if (nextStep()) {
    show();
    return;
  }
  const body = { ...values, id: newId() };
  values = {};
  send(mode, body);
}

function retry() {
  if (unanswered && !busy) send(unanswered.mode, unanswered.body);
}

/**
 * Posts a command and shows the server's answer.
 * @param {string} m
 * @param {Record<string, unknown>} body
 */
async function send(m, body) {
  busy = true;
  unanswered = null;
  byId('retry', HTMLButtonElement).hidden = true;
  showSending(String(body.sku ?? ''));
  show();

  const abort = new AbortController();
  const timer = window.setTimeout(() => abort.abort(), TIMEOUT_MS);
  try {
    const res = await fetch(MODES[m].url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shipshape-User': user },
      body: JSON.stringify(body),
      signal: abort.signal,
    });
    showOnline(true);
    let answer = null;
    try {
      answer = await res.json();
    } catch {
      // An answer that is not JSON is reported by its status below.
    }
    if (res.ok) {
      showVerdict(true, MODES[m].done(body, answer));
    } else {
      showVerdict(false, String(answer?.error ?? `The server answered ${res.status}`));
    }
  } catch (err) {
    // No answer: the command may or may not have been applied. Sending it
    // again with the same id is safe, the server counts it once.
    console.warn('shipshape: stock command unanswered', err);
    showOnline(navigator.onLine && !(err instanceof TypeError));
    unanswered = { mode: m, body };
    byId('retry', HTMLButtonElement).hidden = false;
    showTrouble('No answer from the server. Press Send again: it counts only once.');
  } finally {
    window.clearTimeout(timer);
    busy = false;
    show();
  }
}

/** @param {boolean} online */
function showOnline(online) {
  const el = byId('conn', HTMLElement);
  el.dataset.state = online ? 'open' : 'closed';
  el.textContent = online ? 'Online' : 'Offline';
}

main();
