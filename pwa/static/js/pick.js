// @ts-check
// The picker's handheld page: ask for the picker's name, then show the task
// the server pushes, one line at a time, and send every scan to the server.
// The page decides nothing about a scan; it shows the server's verdict.

import { attachScanner } from './scanner.js';
import {
  byId, connChanged, make, namePrompt, remember, setText, showConn, showSending, timeoutHandler,
  showVerdict, startPage,
} from './ui.js';
import { Link } from './ws.js';

/**
 * @typedef {object} PickLine
 * @property {number} id
 * @property {string} bin
 * @property {string} sku
 * @property {string} title
 * @property {number} qty
 * @property {number} picked
 * @property {number} short
 * @property {'open' | 'done' | 'short'} status
 */

/**
 * @typedef {object} PickTask
 * @property {number} id
 * @property {string} order_number
 * @property {string} [tote]
 * @property {PickLine[]} lines
 * @property {number | null} current_line
 * @property {boolean} bin_confirmed
 * @property {boolean} complete
 */

const NAME_KEY = 'shipshape.picker';

const STATUS_WORDS = { open: 'to pick', done: 'done', short: 'short' };

/** The buttons that send each command, named in messages about it. */
const BUTTONS = { complete: 'Complete', short: 'Can\'t find the rest' };

/** @type {Link | null} */
let link = null;

/** @type {PickTask | null} */
let task = null;

/** @type {PickLine | null} */
let current = null;

function main() {
  startPage();

  namePrompt('picker-name', NAME_KEY, start);

  attachScanner(byId('scan-form', HTMLFormElement), byId('scan', HTMLInputElement), scan,
    byId('keyboard', HTMLButtonElement));
  byId('short', HTMLButtonElement).addEventListener('click', askShort);
  byId('short-yes', HTMLButtonElement).addEventListener('click', sendShort);
  byId('short-no', HTMLButtonElement).addEventListener('click', hideShort);
  byId('complete', HTMLButtonElement).addEventListener('click', () => link?.send('complete'));
  byId('logout', HTMLButtonElement).addEventListener('click', logout);
}

/**
 * Opens the picker's websocket and shows the task view.
 * @param {string} picker
 */
function start(picker) {
  if (!picker) {
    byId('picker-name', HTMLInputElement).focus();
    return;
  }
  remember(NAME_KEY, picker);
  setText('user', picker);
  byId('login', HTMLElement).hidden = true;
  byId('work', HTMLElement).hidden = false;
  byId('scan', HTMLInputElement).focus();

  link = new Link(`/ws/pick?user=${encodeURIComponent(picker)}`, {
    onMessage: receive,
    onState: connChanged,
    onTimeout: timeoutHandler(BUTTONS, 'the count'),
  });
  link.start();
}

function logout() {
  link?.stop();
  link = null;
  showConn('idle', 0);
  clearTask('');
  byId('work', HTMLElement).hidden = true;
  byId('login', HTMLElement).hidden = false;
  byId('picker-name', HTMLInputElement).focus();
}

/** @param {string} code */
function scan(code) {
  if (!link) return;
  showSending(code);
  link.send('scan', { code }, { awaitReply: true });
}

/** @param {any} msg */
function receive(msg) {
  switch (msg.type) {
    case 'task':
      if (msg.task) showTask(msg.task);
      break;
    case 'idle':
      clearTask(msg.message || 'No tasks waiting');
      break;
    case 'verdict':
      showVerdict(Boolean(msg.ok), String(msg.message ?? ''), String(msg.code ?? ''));
      break;
    case 'task_done':
      showVerdict(true, String(msg.message ?? 'Task done'));
      break;
    case 'error':
      showVerdict(false, String(msg.message ?? 'Error'));
      break;
    default:
      console.warn('shipshape: unknown message', msg.type);
  }
}

/** @param {PickTask} t */
function showTask(t) {
  const before = current?.id;
  task = t;
  current = t.lines.find((l) => l.id === t.current_line) ?? null;
  if (current?.id !== before) hideShort();

  setText('order', t.order_number);
  setText('tote', t.tote ?? '');
  byId('task-head', HTMLElement).hidden = false;
  byId('tote-part', HTMLElement).hidden = !t.tote;
  setText('bin', current?.bin ?? '');
  byId('bin', HTMLElement).classList.toggle('confirmed', Boolean(current && t.bin_confirmed));
  setText('product', current?.title ?? '');
  setText('sku', current?.sku ?? '');
  setText('qty', current ? `${current.picked} / ${current.qty}` : '');
  setText('prompt', promptFor(t, current));
  showLines(t);

  byId('complete', HTMLButtonElement).disabled = !t.complete;
  byId('short', HTMLButtonElement).disabled = !current || current.status !== 'open' || t.complete;
}

/**
 * @param {PickTask} t
 * @param {PickLine | null} line
 * @returns {string}
 */
function promptFor(t, line) {
  if (t.complete) return 'All lines done – press Complete';
  if (!line) return '';
  if (!t.bin_confirmed) return `Scan bin ${line.bin}`;
  return 'Scan item';
}

/** @param {PickTask} t */
function showLines(t) {
  const list = byId('lines', HTMLElement);
  list.replaceChildren(...t.lines.map((l) => {
    const li = make('li', l.id === t.current_line ? 'current' : '');
    li.dataset.status = l.status;
    li.dataset.lineId = String(l.id);
    const qty = l.short > 0 ? `${l.picked} / ${l.qty}, ${l.short} short` : `${l.picked} / ${l.qty}`;
    li.append(
      make('span', 'l-bin', l.bin),
      make('span', 'l-title', l.title),
      make('span', 'l-sku', l.sku),
      make('span', 'l-qty', qty),
      make('span', 'l-status', STATUS_WORDS[l.status] ?? l.status),
    );
    return li;
  }));
}

/**
 * Empties the task view, leaving a message in #prompt.
 * @param {string} message
 */
function clearTask(message) {
  task = null;
  current = null;
  hideShort();
  for (const id of ['order', 'tote', 'bin', 'product', 'sku', 'qty']) setText(id, '');
  byId('task-head', HTMLElement).hidden = true;
  byId('tote-part', HTMLElement).hidden = true;
  byId('bin', HTMLElement).classList.remove('confirmed');
  byId('lines', HTMLElement).replaceChildren();
  byId('complete', HTMLButtonElement).disabled = true;
  byId('short', HTMLButtonElement).disabled = true;
  setText('prompt', message);
}

function askShort() {
  if (!current || !task) return;
  const missing = current.qty - current.picked - current.short;
  setText('short-text', `Record ${missing} × ${current.title} as not found in ${current.bin}?`);
  byId('short-confirm', HTMLElement).hidden = false;
}

function sendShort() {
  if (current && link) link.send('short', { line_id: current.id });
  hideShort();
}

function hideShort() {
  byId('short-confirm', HTMLElement).hidden = true;
}

main();
