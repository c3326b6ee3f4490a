// @ts-check
// The supervisor's dashboard: order counts by stage, the scanners' and
// printers' states, stock alerts and a running list of the latest scans on
// the floor, all pushed by the server as they change.

import { byId, connChanged, fetchJSON, make, startPage } from './ui.js';
import { Link } from './ws.js';

/**
 * @typedef {object} ScanRecord
 * @property {string} at RFC 3339 time
 * @property {string} user
 * @property {'pick' | 'pack'} where
 * @property {string} [station]
 * @property {string} code
 * @property {boolean} ok
 * @property {string} message
 */

/**
 * @typedef {object} ExceptionOrder
 * @property {string} number
 * @property {string} reason
 * @property {string} updated_at RFC 3339 time
 */

/**
 * @typedef {object} DeviceState
 * @property {'scanner' | 'printer'} kind
 * @property {string} name
 * @property {string} station "" for none
 * @property {string} state "online", "offline", "paper out", ...
 * @property {string} [detail] why, for a state that is not "online"
 * @property {string} since RFC 3339 time
 */

/**
 * @typedef {object} CourierCount
 * @property {string} courier the configured courier's name: local, easypost
 * @property {number} consignments active consignments bought today
 * @property {number} parcels their parcels
 */

/**
 * @typedef {object} StockAlert
 * @property {string} sku
 * @property {'low' | 'out'} level
 * @property {number} available units on hand not yet promised to orders
 */

const STAGES = ['waiting', 'picking', 'packing', 'shipped', 'exception'];
const KEEP_SCANS = 50;
const KEEP_ALERTS = 20;

function main() {
  startPage();
  const link = new Link('/ws/dashboard', { onMessage: receive, onState: connChanged });
  link.start();
}

/** @param {any} msg */
function receive(msg) {
  switch (msg.type) {
    case 'counts':
      showCounts(msg.counts ?? {});
      refreshCouriers();
      break;
    case 'scans':
      byId('scans', HTMLElement).replaceChildren(
        ...(msg.scans ?? []).slice(0, KEEP_SCANS).map(scanItem));
      break;
    case 'scan':
      addScan(msg.scan);
      break;
    case 'exceptions':
      showExceptions(msg.orders ?? []);
      break;
    case 'devices':
      showDevices(msg.devices ?? []);
      break;
    case 'stock_alert':
      addAlert(msg);
      break;
    case 'error':
      console.warn('shipshape: server error', msg.message);
      break;
    default:
      console.warn('shipshape: unknown message', msg.type);
  }
}

/** @param {Record<string, number>} counts */
function showCounts(counts) {
  for (const stage of STAGES) {
    byId(`count-${stage}`, HTMLElement).textContent = String(counts[stage] ?? 0);
  }
}

/**
 * Fetches the day's shipped counts per courier (they change when counts
 * do, but are not part of the pushed counts) and shows them.
 */
async function refreshCouriers() {
  try {
    const d = await fetchJSON('/api/v1/dashboard');
    showCouriers(d.shipped_by_courier ?? []);
  } catch (err) {
    console.warn('shipshape: courier counts', err);
  }
}

/** @param {CourierCount[]} list */
function showCouriers(list) {
  const body = byId('couriers', HTMLElement);
  if (list.length === 0) {
    const tr = make('tr');
    const td = make('td', '', 'Nothing shipped today yet.');
    td.setAttribute('colspan', '3');
    tr.append(td);
    body.replaceChildren(tr);
    return;
  }
  body.replaceChildren(...list.map((c) => {
    const tr = make('tr');
    tr.dataset.courier = c.courier;
    tr.append(make('td', '', c.courier), make('td', 'c-consignments', String(c.consignments)),
      make('td', 'c-parcels', String(c.parcels)));
    return tr;
  }));
}

/**
 * Lists the orders in exception with the reason, so the supervisor sees what
 * went wrong without asking the API; the section hides when there are none.
 * @param {ExceptionOrder[]} orders
 */
function showExceptions(orders) {
  byId('exceptions', HTMLElement).replaceChildren(...orders.map((o) => {
    const tr = make('tr', 'wrong');
    const since = make('time', '', clock(o.updated_at));
    since.setAttribute('datetime', o.updated_at);
    const when = make('td', 's-time');
    when.append(since);
    tr.append(make('td', 's-code', o.number), make('td', 's-msg', o.reason), when);
    return tr;
  }));
  byId('exceptions-box', HTMLElement).hidden = orders.length === 0;
}

/**
 * Lists every scanner and printer with its state, a device that is not
 * online in red with the reason.
 * @param {DeviceState[]} devices
 */
function showDevices(devices) {
  const body = byId('devices', HTMLElement);
  if (devices.length === 0) {
    const tr = make('tr');
    const td = make('td', '', 'No scanners or printers wired to the server.');
    td.setAttribute('colspan', '4');
    tr.append(td);
    body.replaceChildren(tr);
    return;
  }
  body.replaceChildren(...devices.map((d) => {
    const tr = make('tr', d.state === 'online' ? 'ok' : 'wrong');
    tr.dataset.device = `${d.kind}/${d.name}`;
    tr.dataset.state = d.state;
    const state = make('td', 'd-state', d.state);
    if (d.detail) state.append(make('span', 's-msg', ` ${d.detail}`));
    const since = make('time', '', clock(d.since));
    since.setAttribute('datetime', d.since);
    const when = make('td', 's-time');
    when.append(since);
    tr.append(make('td', '', d.station || '–'), make('td', '', `${d.kind} ${d.name}`), state, when);
    return tr;
  }));
}

/**
 * Puts a stock alert at the top of #stock-alerts, red for out and amber for
 * low, with the words too; the SKU links to its history on /audit.
 * @param {StockAlert} a
 */
function addAlert(a) {
  const out = a.level === 'out';
  const li = make('li', out ? 'out' : 'low');
  li.dataset.sku = a.sku;
  li.dataset.level = a.level;
  const now = new Date();
  const time = make('time', 'a-time', clock(now.toISOString()));
  time.setAttribute('datetime', now.toISOString());
  const sku = /** @type {HTMLAnchorElement} */ (make('a', 'a-sku', a.sku));
  sku.href = `/audit?sku=${encodeURIComponent(a.sku)}`;
  li.append(
    time,
    make('span', 'a-level', out ? 'Out of stock' : 'Low stock'),
    sku,
    make('span', 'a-avail', `${a.available} available`),
  );
  const list = byId('stock-alerts', HTMLElement);
  list.prepend(li);
  while (list.children.length > KEEP_ALERTS) list.lastElementChild?.remove();
}

/** @param {ScanRecord} s */
function addScan(s) {
  const list = byId('scans', HTMLElement);
  list.prepend(scanItem(s));
  while (list.children.length > KEEP_SCANS) list.lastElementChild?.remove();
}

/**
 * One row of the scan log: time, who and where, the code, the verdict.
 * @param {ScanRecord} s
 * @returns {HTMLElement}
 */
function scanItem(s) {
  const tr = make('tr', s.ok ? 'ok' : 'wrong');
  tr.dataset.ok = String(Boolean(s.ok));
  const time = make('time', '', clock(s.at));
  time.setAttribute('datetime', s.at);
  const when = make('td', 's-time');
  when.append(time);
  const who = make('td', 's-who', s.user);
  who.append(' ', make('span', 's-where', [s.where, s.station].filter(Boolean).join(' ')));
  tr.append(
    when,
    who,
    make('td', 's-code', s.code),
    make('td', 's-msg', s.message),
  );
  return tr;
}

/**
 * The time of day of an RFC 3339 time, in the browser's zone.
 * @param {string} at
 * @returns {string}
 */
function clock(at) {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  return d.toLocaleTimeString([], {
    hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  });
}

main();
