// @ts-check
// The packing-station page: the packer scans an order number or a tote, then
// each item; the server checks every scan, and prints the label once every
// line is verified. The page shows what the server says.

import { attachScanner } from './scanner.js';
import {
  byId, connChanged, make, recall, remember, setText, showConn, showSending, timeoutHandler,
  showVerdict, startPage,
} from './ui.js';
import { Link } from './ws.js';

/**
 * @typedef {object} Address
 * @property {string} [name]
 * @property {string} [company]
 * @property {string} [line1]
 * @property {string} [line2]
 * @property {string} [line3]
 * @property {string} [city]
 * @property {string} [state]
 * @property {string} [postal_code]
 * @property {string} [country]
 */

/**
 * @typedef {object} PackLine
 * @property {number} id
 * @property {string} sku
 * @property {string} title
 * @property {number} qty
 * @property {number} verified
 */

/**
 * @typedef {object} PackSession
 * @property {string} order_number
 * @property {string} [channel]
 * @property {string} [channel_order_id]
 * @property {string} [ship_service_level]
 * @property {Address} [ship_to]
 * @property {PackLine[]} lines
 * @property {'open' | 'released'} status
 */

const STATION_KEY = 'shipshape.station';
const NAME_KEY = 'shipshape.packer';
const IDLE_PROMPT = 'Scan an order or tote';

/** The buttons that send each command, named in messages about it. */
const BUTTONS = { release: 'Print label', cancel: 'Leave order' };

/** @type {Link | null} */
let link = null;

/** @type {PackSession | null} */
let session = null;

function main() {
  startPage();

  const params = new URLSearchParams(location.search);
  const station = byId('station', HTMLInputElement);
  const packer = byId('packer-name', HTMLInputElement);
  station.value = params.get('station') || recall(STATION_KEY);
  packer.value = params.get('user') || recall(NAME_KEY);

  byId('login', HTMLFormElement).addEventListener('submit', (ev) => {
    ev.preventDefault();
    start(station.value.trim(), packer.value.trim());
  });
  attachScanner(byId('scan-form', HTMLFormElement), byId('scan', HTMLInputElement), scan,
    byId('keyboard', HTMLButtonElement));
  byId('release', HTMLButtonElement).addEventListener('click', () => link?.send('release'));
  byId('cancel', HTMLButtonElement).addEventListener('click', () => link?.send('cancel'));
  byId('change', HTMLButtonElement).addEventListener('click', change);

  // A station's own bookmark names it; with a remembered packer the page
  // starts at once. Anything missing is asked for.
  if (station.value && packer.value) {
    start(station.value, packer.value);
  } else {
    byId('login', HTMLElement).hidden = false;
    (station.value ? packer : station).focus();
  }
}

/**
 * Opens the station's websocket and shows the packing view.
 * @param {string} station
 * @param {string} packer
 */
function start(station, packer) {
  if (!station || !packer) {
    byId(station ? 'packer-name' : 'station', HTMLInputElement).focus();
    return;
  }
  remember(STATION_KEY, station);
  remember(NAME_KEY, packer);
  setText('user', `${packer} at ${station}`);
  byId('login', HTMLElement).hidden = true;
  byId('work', HTMLElement).hidden = false;
  clearSession();
  byId('scan', HTMLInputElement).focus();

  const query = new URLSearchParams({ station, user: packer });
  link = new Link(`/ws/pack?${query}`, {
    onMessage: receive,
    onState: connChanged,
    onTimeout: timeoutHandler(BUTTONS, 'the lines'),
  });
  link.start();
}

function change() {
  link?.stop();
  link = null;
  showConn('idle', 0);
  byId('work', HTMLElement).hidden = true;
  byId('login', HTMLElement).hidden = false;
  byId('station', HTMLInputElement).focus();
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
    case 'pack':
      if (msg.session) showSession(msg.session);
      break;
    case 'idle':
      clearSession(msg.message);
      break;
    case 'verdict':
      showVerdict(Boolean(msg.ok), String(msg.message ?? ''), String(msg.code ?? ''));
      break;
    case 'label':
      showLabel(msg);
      break;
    case 'error':
      showVerdict(false, String(msg.message ?? 'Error'));
      break;
    default:
      console.warn('shipshape: unknown message', msg.type);
  }
}

/** @param {PackSession} s */
function showSession(s) {
  if (session?.order_number !== s.order_number) clearLabel();
  session = s;

  setText('order', s.order_number);
  setText('channel', [s.channel, s.channel_order_id].filter(Boolean).join(' '));
  setText('service', s.ship_service_level ?? '');
  showAddress(s.ship_to ?? {});
  showLines(s.lines);

  const done = s.lines.every((l) => l.verified >= l.qty);
  setText('prompt', s.status === 'released' ? 'Label released' : 'Scan items');
  setText('note', '');
  byId('release', HTMLButtonElement).disabled = s.status !== 'open' || !done;
  byId('cancel', HTMLButtonElement).disabled = false;
}

/** @param {Address} a */
function showAddress(a) {
  const town = [a.city, a.state, a.postal_code].filter(Boolean).join(' ');
  const rows = [a.name, a.company, a.line1, a.line2, a.line3, town, a.country].filter(Boolean);
  byId('ship-to', HTMLElement).replaceChildren(
    ...rows.map((r) => make('div', '', /** @type {string} */ (r))));
}

/** @param {PackLine[]} lines */
function showLines(lines) {
  byId('pack-lines', HTMLElement).replaceChildren(...lines.map((l) => {
    const tr = make('tr', l.verified >= l.qty ? 'done' : '');
    tr.dataset.lineId = String(l.id);
    tr.append(
      make('td', 'p-sku', l.sku),
      make('td', 'p-title', l.title),
      make('td', 'p-qty', `${l.verified} / ${l.qty}`),
    );
    return tr;
  }));
}

/**
 * Empties the order view.
 * @param {string} [note] the server's words, shown under the prompt
 */
function clearSession(note = '') {
  session = null;
  for (const id of ['order', 'channel', 'service']) setText(id, '');
  byId('ship-to', HTMLElement).replaceChildren();
  byId('pack-lines', HTMLElement).replaceChildren();
  setText('prompt', IDLE_PROMPT);
  setText('note', note);
  byId('release', HTMLButtonElement).disabled = true;
  byId('cancel', HTMLButtonElement).disabled = true;
}

/**
 * @param {{order_number?: string, tracking?: string, carrier?: string, printer?: string}} msg
 */
function showLabel(msg) {
  const el = byId('label', HTMLElement);
  el.textContent = `Label printed: tracking ${msg.tracking ?? ''} on ${msg.printer ?? ''}`;
  el.hidden = false;
  setText('carrier', [msg.carrier, msg.order_number].filter(Boolean).join(' · '));
}

function clearLabel() {
  const el = byId('label', HTMLElement);
  el.textContent = '';
  el.hidden = true;
  setText('carrier', '');
}

main();
