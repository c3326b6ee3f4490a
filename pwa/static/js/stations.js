// @ts-check
// The admin's stations page: every packing station with its scanners, each
// scanner's live state (online, or offline and why) from the dashboard's
// socket, and a form to add, change and remove scanners through
// /api/v1/scanners. The server validates every setting; the page shows its
// message as it is.

import { byId, connChanged, make, recall, remember, startPage } from './ui.js';
import { Link } from './ws.js';

/**
 * @typedef {object} ScannerConfig
 * @property {string} name
 * @property {string} station
 * @property {'serial' | 'usb'} kind
 * @property {string} [port]
 * @property {string} [usb]
 * @property {number} dedupe_ms
 * @property {boolean} enabled
 */

/**
 * @typedef {object} DeviceState
 * @property {string} kind
 * @property {string} name
 * @property {string} station
 * @property {string} state
 * @property {string} [detail]
 * @property {string} since
 */

/** Where the admin's name is remembered between visits. */
const USER_KEY = 'shipshape.stations.user';

/** @type {{stations: string[], scanners: ScannerConfig[]}} */
let config = { stations: [], scanners: [] };
/** @type {Map<string, DeviceState>} scanners' states by name */
const states = new Map();
/** @type {Map<string, DeviceState>} printers' states by station */
const printerStates = new Map();
/** @type {any[]} each station's printer (GET /api/v1/stations/{id}/printer) */
let printers = [];

function main() {
  startPage();
  byId('scanner-form', HTMLFormElement).addEventListener('submit', (ev) => {
    ev.preventDefault();
    save();
  });
  byId('printer-form', HTMLFormElement).addEventListener('submit', (ev) => {
    ev.preventDefault();
    savePrinter();
  });
  select('sc-kind').addEventListener('change', showKind);
  input('sc-user').value = recall(USER_KEY);
  const link = new Link('/ws/dashboard', { onMessage: receive, onState: connChanged });
  link.start();
  load();
}

/** @param {any} msg */
function receive(msg) {
  if (msg.type !== 'devices') return;
  states.clear();
  printerStates.clear();
  for (const d of /** @type {DeviceState[]} */ (msg.devices ?? [])) {
    if (d.kind === 'scanner') states.set(d.name, d);
    if (d.kind === 'printer') printerStates.set(d.station, d);
  }
  render();
  renderPrinters();
}

/**
 * Calls the API; throws an Error with the server's message.
 * @param {string} path
 * @param {RequestInit} [init]
 */
async function api(path, init = {}) {
  const res = await fetch(path, init);
  const body = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error ?? `The server answered ${res.status}.`);
  return body;
}

async function load() {
  try {
    config = await api('/api/v1/scanners');
    status('');
  } catch (err) {
    status(String(/** @type {Error} */ (err).message));
  }
  render();
  await loadPrinters();
}

/** Loads every station's printer settings, state and waiting labels. */
async function loadPrinters() {
  try {
    printers = await Promise.all(config.stations.map(
      (id) => api(`/api/v1/stations/${encodeURIComponent(id)}/printer`)));
    byId('printers-status', HTMLElement).textContent = '';
  } catch (err) {
    byId('printers-status', HTMLElement).textContent = String(/** @type {Error} */ (err).message);
  }
  renderPrinters();
}

/** Lists each station's printer with its live state. */
function renderPrinters() {
  const rows = printers.map((p) => {
    const tr = make('tr');
    tr.dataset.station = p.station;
    const live = printerStates.get(p.station) ?? p.device;
    const state = live?.state ?? 'unknown';
    const stateCell = make('td', `d-state ${state}`, state);
    stateCell.dataset.state = state;
    if (live?.detail) stateCell.append(make('small', '', ` ${live.detail}`));
    const edit = make('button', '', 'Edit');
    edit.addEventListener('click', () => fillPrinter(p));
    const actions = make('td');
    actions.append(edit);
    tr.append(make('td', '', p.station), make('td', '', p.printer),
      make('td', '', `${p.dpi} dpi, ${p.width_mm} mm${p.status === 'none' ? ', no status' : ''}`),
      stateCell, make('td', '', String(p.queue?.length ?? 0)), actions);
    return tr;
  });
  byId('printer-rows', HTMLElement).replaceChildren(...rows);
}

/** @param {any} p a station's printer */
function fillPrinter(p) {
  input('pr-station').value = p.station;
  input('pr-addr').value = p.addr;
  select('pr-dpi').value = String(p.dpi);
  input('pr-width').value = String(p.width_mm);
  select('pr-query').value = p.status;
}

/** Sends the printer form: every setting of the station's printer. */
async function savePrinter() {
  const station = input('pr-station').value.trim();
  const body = {
    addr: input('pr-addr').value.trim(),
    dpi: Number(select('pr-dpi').value),
    width_mm: Number(input('pr-width').value),
    status: select('pr-query').value,
  };
  const out = byId('printers-status', HTMLElement);
  try {
    await api(`/api/v1/stations/${encodeURIComponent(station)}/printer`, {
      method: 'PUT', body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', 'X-Shipshape-User': input('sc-user').value.trim() },
    });
    await load();
    out.textContent = `Printer of ${station} saved.`;
  } catch (err) {
    out.textContent = String(/** @type {Error} */ (err).message);
  }
}

/** @param {string} text */
function status(text) {
  byId('scanners-status', HTMLElement).textContent = text;
}

/** Lists each station with its scanners, or a row saying it has none. */
function render() {
  const rows = [];
  for (const station of config.stations) {
    const mine = config.scanners.filter((s) => s.station === station);
    if (mine.length === 0) {
      const tr = make('tr');
      tr.append(make('td', '', station), make('td', '', 'no scanner'), make('td'), make('td'), make('td'));
      rows.push(tr);
    }
    for (const sc of mine) rows.push(scannerRow(sc));
  }
  byId('scanner-rows', HTMLElement).replaceChildren(...rows);
}

/**
 * @param {ScannerConfig} sc
 * @returns {HTMLElement}
 */
function scannerRow(sc) {
  const tr = make('tr');
  tr.dataset.scanner = sc.name;
  const live = states.get(sc.name);
  const state = !sc.enabled ? 'disabled' : live?.state ?? 'starting';
  const stateCell = make('td', `d-state ${state}`, state);
  stateCell.dataset.state = state;
  if (live?.detail) stateCell.title = live.detail;
  if (live?.detail) stateCell.append(make('small', '', ` ${live.detail}`));

  const edit = make('button', '', 'Edit');
  edit.addEventListener('click', () => fill(sc));
  const remove = make('button', '', 'Remove');
  remove.addEventListener('click', () => drop(sc.name));
  const actions = make('td');
  actions.append(edit, ' ', remove);
  tr.append(make('td', '', sc.station), make('td', '', sc.name),
    make('td', '', sc.kind === 'usb' ? `USB ${sc.usb}` : `serial ${sc.port}`), stateCell, actions);
  return tr;
}

/**
 * Puts a scanner's settings into the form to change them.
 * @param {ScannerConfig} sc
 */
function fill(sc) {
  const c = /** @type {any} */ (sc);
  input('sc-name').value = sc.name;
  input('sc-station').value = sc.station;
  select('sc-kind').value = sc.kind;
  input('sc-device').value = (sc.kind === 'usb' ? c.usb : c.port) ?? '';
  select('sc-baud').value = String(c.baud ?? 9600);
  select('sc-data-bits').value = String(c.data_bits ?? 8);
  select('sc-parity').value = c.parity ?? 'none';
  select('sc-stop-bits').value = String(c.stop_bits ?? 1);
  select('sc-suffix').value = c.suffix ?? 'CR';
  input('sc-gap').value = c.gap_ms ? String(c.gap_ms) : '';
  input('sc-usb-serial').value = c.serial_number ?? '';
  select('sc-layout').value = c.layout ?? 'us';
  input('sc-code39').checked = Boolean(c.code39_check);
  input('sc-require-aim').checked = Boolean(c.require_aim);
  input('sc-assume-aim').value = c.assume_aim ?? '';
  input('sc-dedupe').value = String(sc.dedupe_ms);
  input('sc-enabled').checked = sc.enabled;
  showKind();
}

/** Shows the settings of the chosen kind of scanner only. */
function showKind() {
  const usb = select('sc-kind').value === 'usb';
  byId('sc-serial', HTMLElement).hidden = usb;
  byId('sc-usb', HTMLElement).hidden = !usb;
}

/** Sends the form as the scanner's whole configuration. */
async function save() {
  const name = input('sc-name').value.trim();
  const kind = select('sc-kind').value;
  const device = input('sc-device').value.trim();
  const user = input('sc-user').value.trim();
  remember(USER_KEY, user);
  const perKind = kind === 'usb'
    ? { usb: device, serial_number: input('sc-usb-serial').value.trim(), layout: select('sc-layout').value }
    : {
      port: device, baud: Number(select('sc-baud').value), data_bits: Number(select('sc-data-bits').value),
      parity: select('sc-parity').value, stop_bits: Number(select('sc-stop-bits').value),
      suffix: select('sc-suffix').value, gap_ms: Number(input('sc-gap').value) || undefined,
    };
  const body = {
    ...perKind,
    name,
    station: input('sc-station').value.trim(),
    kind,
    code39_check: input('sc-code39').checked,
    require_aim: input('sc-require-aim').checked,
    assume_aim: input('sc-assume-aim').value.trim() || undefined,
    dedupe_ms: Number(input('sc-dedupe').value),
    enabled: input('sc-enabled').checked,
  };
  try {
    await api(`/api/v1/scanners/${encodeURIComponent(name)}`, {
      method: 'PUT', body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', 'X-Shipshape-User': user },
    });
    await load();
    status(`Scanner ${name} saved.`);
  } catch (err) {
    status(String(/** @type {Error} */ (err).message));
  }
}

/** @param {string} id */
function input(id) {
  return byId(id, HTMLInputElement);
}

/** @param {string} id */
function select(id) {
  return byId(id, HTMLSelectElement);
}

/** @param {string} name */
async function drop(name) {
  if (!window.confirm(`Remove scanner ${name}?`)) return;
  try {
    await api(`/api/v1/scanners/${encodeURIComponent(name)}`, {
      method: 'DELETE', headers: { 'X-Shipshape-User': input('sc-user').value.trim() },
    });
    await load();
    status(`Scanner ${name} removed.`);
  } catch (err) {
    status(String(/** @type {Error} */ (err).message));
  }
}

main();
