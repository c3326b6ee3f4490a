// @ts-check
// The packing-station page: the packer scans an order number or a tote, then
// each item into the open parcel (PARCEL, BOX-<name> or New parcel starts the
// next); the server checks every scan. A one-parcel order with the local
// courier prints its label once every line is verified; otherwise the packer
// weighs the parcels and presses Print labels. The page shows what the
// server says.

import { attachScanner } from './scanner.js';
import {
  byId, connChanged, fetchJSON, make, recall, remember, setText, showConn, showSending, signal,
  timeoutHandler, showVerdict, startPage,
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
 * @property {Parcel[]} [parcels]
 */

/**
 * @typedef {object} Parcel
 * @property {number} k parcel k of the order's N
 * @property {string} box
 * @property {number} weight_g 0 when not weighed
 * @property {boolean} open the parcel items go into
 * @property {{sku: string, qty: number}[]} items
 */

/**
 * A courier service the packer may ship with.
 * @typedef {object} Service
 * @property {string} id
 * @property {string} name
 * @property {{date: string} | null} [pickup]
 * @property {string} [unavailable]
 */

/**
 * What the server says about a label it sent to the printer: a release, or a
 * reprint of the same job.
 * @typedef {object} LabelMsg
 * @property {string} [order_number]
 * @property {string} [tracking]
 * @property {string} [carrier]
 * @property {string} [service]
 * @property {string} [printer]
 * @property {string} [job_id]
 * @property {JobStatus} [status]
 * @property {string} [error] why it is not printed yet, or did not print
 */

/**
 * A print job's state in the server's queue.
 * @typedef {'queued' | 'sending' | 'printed' | 'sent' | 'unconfirmed' | 'failed'} JobStatus
 */

/**
 * A print job as the server lists it.
 * @typedef {object} Job
 * @property {string} id
 * @property {string} kind "shipping", "courier", "bin"…
 * @property {JobStatus} status
 * @property {string} [error] the reason it waits, or why it did not print
 * @property {number} [attempts] tries that found the printer not ready
 * @property {string} [order_number]
 */

/**
 * A device's state as the server last saw it.
 * @typedef {object} Device
 * @property {string} kind "printer" or "scanner"
 * @property {string} name
 * @property {string} state "online", "paper out", "offline"…
 * @property {string} [detail]
 */

const STATION_KEY = 'shipshape.station';
const NAME_KEY = 'shipshape.packer';
const IDLE_PROMPT = 'Scan an order or tote';

/** How long the Reprint button stays disabled waiting for the server's answer. */
const REPRINT_WAIT_MS = 15000;

/** The buttons that send each command, named in messages about it. */
const BUTTONS = {
  release: 'Print labels', ship: 'Print labels', cancel: 'Leave order', reprint: 'Reprint',
  parcel: 'New parcel', weigh: 'Set',
};

/** @type {Link | null} */
let link = null;

/** @type {PackSession | null} */
let session = null;

/** The station the page works for; a label belongs to it. */
let stationName = '';

/**
 * The last label shown at this station since the page loaded: it stays on
 * screen, with the Reprint button, until another order is opened.
 * @type {LabelMsg | null}
 */
let lastLabel = null;

/** Re-enables the Reprint button if the server never answers. */
let reprintTimer = 0;

/**
 * The print job of the station's last label, for the Preview button: the
 * label just released, or on a fresh page the latest the server has.
 */
let previewJob = '';

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
  byId('release', HTMLButtonElement).addEventListener('click', () => link?.send('ship',
    { service: byId('service-choice', HTMLSelectElement).value }));
  byId('new-parcel', HTMLButtonElement).addEventListener('click', () => link?.send('parcel'));
  byId('weigh-form', HTMLFormElement).addEventListener('submit', weigh);
  byId('read-scale', HTMLButtonElement).addEventListener('click', () => void readScale());
  byId('show-add-parcel', HTMLButtonElement).addEventListener('click', showAddParcel);
  byId('add-parcel', HTMLFormElement).addEventListener('submit', (ev) => void addParcel(ev));
  byId('cancel', HTMLButtonElement).addEventListener('click', leaveOrder);
  byId('reprint', HTMLButtonElement).addEventListener('click', reprint);
  byId('change', HTMLButtonElement).addEventListener('click', change);
  byId('preview-label', HTMLButtonElement).addEventListener('click', () => void togglePreview());

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
  if (station !== stationName) {
    clearLabel();
    setPreviewJob('');
  }
  stationName = station;
  void findLastJob(station);
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

/**
 * Leaving an order unpacks it: every verified item must be scanned again, so
 * the packer confirms first.
 */
function leaveOrder() {
  const order = session?.order_number ?? 'this order';
  if (!window.confirm(`Leave ${order}? Its items will have to be scanned again.`)) return;
  link?.send('cancel');
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
      showServices(msg.service ?? null, msg.services ?? []);
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
    case 'job':
      if (msg.job) jobChanged(msg.job);
      break;
    case 'jobs':
      jobs.clear();
      for (const j of msg.jobs ?? []) jobs.set(j.id, j);
      showJobs();
      break;
    case 'devices':
      showPrinter(msg.devices ?? []);
      break;
    case 'error':
      reprintDone();
      showVerdict(false, String(msg.message ?? 'Error'));
      break;
    default:
      console.warn('shipshape: unknown message', msg.type);
  }
}

/** @param {PackSession} s */
function showSession(s) {
  // The label of the order just packed stays up while the station is idle,
  // and goes when the next order is opened.
  if (lastLabel && lastLabel.order_number !== s.order_number) clearLabel();
  session = s;

  setText('order', s.order_number);
  setText('channel', [s.channel, s.channel_order_id].filter(Boolean).join(' '));
  setText('service', s.ship_service_level ?? '');
  showAddress(s.ship_to ?? {});
  showLines(s.lines);
  showParcels(s.parcels ?? []);

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
 * Empties the order view. The last label, if any, stays.
 * @param {string} [prompt] the server's words for what to scan next
 */
function clearSession(prompt = '') {
  session = null;
  for (const id of ['order', 'channel', 'service']) setText(id, '');
  byId('ship-to', HTMLElement).replaceChildren();
  byId('pack-lines', HTMLElement).replaceChildren();
  showParcels([]);
  setText('prompt', prompt || IDLE_PROMPT);
  setText('note', '');
  byId('release', HTMLButtonElement).disabled = true;
  byId('cancel', HTMLButtonElement).disabled = true;
}

/**
 * Shows where the label is (printed, waiting for the printer, or not
 * printed), and keeps its job for a reprint. Trouble is loud: the parcel
 * must not leave without its label.
 * @param {LabelMsg} msg
 */
function showLabel(msg) {
  reprintDone();
  lastLabel = msg;
  const el = byId('label', HTMLElement);
  const why = (msg.error || 'the server gave no reason').replace(/[\s.]+$/, '');
  const [cls, text] = {
    printed: ['printed', `Label printed: tracking ${msg.tracking ?? ''} on ${msg.printer ?? ''}`],
    sent: ['printed', `Label sent to ${msg.printer ?? 'the printer'}, which does not report back: ` +
      'check that it printed'],
    queued: ['waiting', msg.error ? `Label waiting for the printer: ${why}. It prints by itself ` +
      'once the printer is ready.' : 'Label queued for the printer…'],
    sending: ['waiting', 'Label being sent to the printer…'],
    unconfirmed: ['failed', `Label NOT confirmed: ${why}. Look at the printer: if no label came ` +
      'out, press Reprint.'],
  }[msg.status ?? ''] ?? ['failed', `Label NOT printed: ${why}. Fix the printer, then press Reprint.`];
  el.textContent = text;
  el.className = cls;
  el.hidden = false;
  const parcel = msg.parcels && msg.parcels > 1 ? `parcel ${msg.parcel}/${msg.parcels}` : '';
  setText('carrier', [msg.carrier, msg.service, parcel, msg.order_number].filter(Boolean).join(' · '));
  byId('reprint', HTMLButtonElement).hidden = !msg.job_id;
  byId('show-add-parcel', HTMLButtonElement).hidden = !msg.order_number;
  setPreviewJob(msg.job_id ?? '');
  if (cls !== 'waiting') signal(cls === 'printed');
}

/**
 * The station's print jobs that are not done, by id.
 * @type {Map<string, Job>}
 */
const jobs = new Map();

/** Statuses that leave the queue list. */
const DONE = ['printed', 'sent'];

/**
 * Updates the queue list, and the label shown when it is this job.
 * @param {Job} job
 */
function jobChanged(job) {
  if (DONE.includes(job.status)) jobs.delete(job.id);
  else jobs.set(job.id, job);
  showJobs();
  if (lastLabel && lastLabel.job_id === job.id && lastLabel.status !== job.status) {
    showLabel({ ...lastLabel, status: job.status, error: job.error });
  }
}

/** Draws the queue list: each job with its state, and Reprint when stuck. */
function showJobs() {
  const words = {
    queued: 'waiting', sending: 'sending', unconfirmed: 'not confirmed', failed: 'not printed',
  };
  const rows = [...jobs.values()].map((j) => {
    const tr = make('tr', j.status);
    tr.dataset.job = j.id;
    const what = j.order_number ? `${j.order_number} (${j.id})` : j.id;
    const why = j.status === 'queued' && !j.attempts ? 'its turn' : (j.error ?? '');
    const act = make('td', '');
    if (j.status === 'unconfirmed' || j.status === 'failed') {
      const b = make('button', 'reprint-job', 'Reprint');
      b.addEventListener('click', () => {
        b.setAttribute('disabled', '');
        link?.send('reprint', { job_id: j.id });
      });
      act.append(b);
    }
    tr.append(make('td', '', what), make('td', 'j-status', words[j.status] ?? j.status),
      make('td', 'j-why', why), act);
    return tr;
  });
  byId('jobs', HTMLElement).replaceChildren(...rows);
  byId('queue', HTMLElement).hidden = rows.length === 0;
}

/**
 * Shows the state of the station's printer.
 * @param {Device[]} devices
 */
function showPrinter(devices) {
  const el = byId('printer', HTMLElement);
  const p = devices.find((d) => d.kind === 'printer');
  if (!p) {
    el.hidden = true;
    return;
  }
  const ok = p.state === 'online';
  el.textContent = ok ? 'Printer ready' : `Printer: ${p.state}${p.detail && p.detail !== p.state ?
    ` (${p.detail})` : ''}`;
  el.className = `printer-state ${ok ? 'ready' : 'trouble'}`;
  el.dataset.state = p.state;
  el.hidden = false;
}

/** Sends the last label's print job to the printer again. */
function reprint() {
  if (!link || !lastLabel?.job_id) return;
  link.send('reprint', { job_id: lastLabel.job_id });
  // One press, one label: a second tap while the first is on its way would
  // print the label twice.
  byId('reprint', HTMLButtonElement).disabled = true;
  setText('note', 'Sending the label again…');
  window.clearTimeout(reprintTimer);
  reprintTimer = window.setTimeout(reprintDone, REPRINT_WAIT_MS);
}

/** Makes the Reprint button usable again once the server has answered. */
function reprintDone() {
  window.clearTimeout(reprintTimer);
  byId('reprint', HTMLButtonElement).disabled = false;
  if (byId('note', HTMLElement).textContent === 'Sending the label again…') setText('note', '');
}

function clearLabel() {
  lastLabel = null;
  const el = byId('label', HTMLElement);
  el.textContent = '';
  el.className = '';
  el.hidden = true;
  byId('reprint', HTMLButtonElement).hidden = true;
  byId('show-add-parcel', HTMLButtonElement).hidden = true;
  byId('add-parcel', HTMLFormElement).hidden = true;
  reprintDone();
  setText('carrier', '');
}

/**
 * Lists the order's parcels and offers each for weighing.
 * @param {Parcel[]} parcels
 */
function showParcels(parcels) {
  byId('parcels', HTMLElement).hidden = parcels.length === 0;
  byId('parcel-rows', HTMLElement).replaceChildren(...parcels.map((p) => {
    const tr = make('tr', p.open ? 'open' : '');
    tr.dataset.parcel = String(p.k);
    const items = p.items.map((i) => `${i.qty} × ${i.sku}`).join(', ') || 'empty';
    tr.append(make('td', 'pc-k', `${p.k}/${parcels.length}`), make('td', 'pc-items', items),
      make('td', 'pc-box', p.box), make('td', 'pc-weight', p.weight_g ? formatGrams(p.weight_g) : '—'));
    return tr;
  }));
  const select = byId('weigh-parcel', HTMLSelectElement);
  const keep = select.value;
  select.replaceChildren(...parcels.map((p) => {
    const o = make('option', '', String(p.k));
    o.setAttribute('value', String(p.k));
    return o;
  }));
  // After a weight is set the next parcel without one is offered.
  const next = parcels.find((p) => !p.weight_g) ?? parcels.find((p) => String(p.k) === keep);
  if (next) select.value = String(next.k);
}

/**
 * Offers the services the labels may be bought with, the selected first.
 * @param {Service | null} selected
 * @param {Service[]} services
 */
function showServices(selected, services) {
  const select = byId('service-choice', HTMLSelectElement);
  const chosen = select.value;
  const auto = make('option', '', selected ? `${selected.name} (chosen by the rules)` :
    'Local courier, order’s service level');
  auto.setAttribute('value', '');
  select.replaceChildren(auto, ...services.filter((s) => !s.unavailable).map((s) => {
    const o = make('option', '', `${s.name}${s.pickup ? `, ships ${s.pickup.date}` : ''}`);
    o.setAttribute('value', s.id);
    return o;
  }));
  if ([...select.options].some((o) => o.value === chosen)) select.value = chosen;
}

/**
 * Reads a weight as the packer typed it: "1.25", "1.25 kg" or "1,25kg" are
 * kilograms, "800 g" grams. Returns grams, or NaN.
 * @param {string} text
 * @returns {number}
 */
function parseGrams(text) {
  const m = /^\s*(\d+(?:[.,]\d+)?)\s*(kg|g)?\s*$/i.exec(text);
  if (!m) return NaN;
  const n = Number(m[1].replace(',', '.'));
  return Math.round((m[2] ?? 'kg').toLowerCase() === 'g' ? n : n * 1000);
}

/** @param {number} g */
function formatGrams(g) {
  return g >= 1000 ? `${(g / 1000).toFixed(2)} kg` : `${g} g`;
}

/** @param {SubmitEvent} ev */
function weigh(ev) {
  ev.preventDefault();
  const text = byId('weight', HTMLInputElement).value;
  const box = byId('box', HTMLInputElement).value.trim();
  const grams = text.trim() ? parseGrams(text) : 0;
  if (Number.isNaN(grams) || (!grams && !box)) {
    setText('weigh-note', 'Type a weight such as 1.25 kg or 800 g (or a box)');
    return;
  }
  setText('weigh-note', '');
  link?.send('weigh', { parcel: Number(byId('weigh-parcel', HTMLSelectElement).value), grams, box });
  byId('weight', HTMLInputElement).value = '';
  byId('box', HTMLInputElement).value = '';
}

/** Fills the weight from the station's scale, or says why it cannot. */
async function readScale() {
  setText('weigh-note', 'Reading the scale…');
  try {
    const r = await fetchJSON(`/api/v1/stations/${encodeURIComponent(stationName)}/scale`,
      { cache: 'no-store' });
    byId('weight', HTMLInputElement).value = `${r.grams} g`;
    setText('weigh-note', `Scale: ${formatGrams(r.grams)}. Press Set to keep it.`);
  } catch (err) {
    setText('weigh-note', `Scale: ${/** @type {any} */ (err)?.message ?? err}`);
  }
}

function showAddParcel() {
  const form = byId('add-parcel', HTMLFormElement);
  setText('add-order', lastLabel?.order_number ?? '');
  setText('add-note', '');
  form.hidden = !form.hidden;
}

/**
 * Adds a parcel to the labelled order: the server voids its labels and
 * prints every parcel's again, which arrive as label messages.
 * @param {SubmitEvent} ev
 */
async function addParcel(ev) {
  ev.preventDefault();
  const order = lastLabel?.order_number;
  if (!order) return;
  const weight = byId('add-weight', HTMLInputElement).value;
  const grams = weight.trim() ? parseGrams(weight) : 0;
  const move = byId('add-move', HTMLTextAreaElement).value.split('\n').filter((l) => l.trim())
    .map((l) => l.trim().split(/\s+/)).map(([sku, qty, from]) => ({ sku, qty: Number(qty), from: Number(from) }));
  if (Number.isNaN(grams) || move.some((m) => !m.sku || !(m.qty > 0) || !(m.from > 0))) {
    setText('add-note', 'Write each move as SKU QTY FROM-PARCEL, and a weight such as 0.4 kg');
    return;
  }
  const send = byId('add-send', HTMLButtonElement);
  send.disabled = true;
  setText('add-note', 'Voiding the labels and buying them again…');
  try {
    const query = new URLSearchParams({ station: stationName });
    await fetchJSON(`/api/v1/orders/${encodeURIComponent(order)}/parcels?${query}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Shipshape-User': recall(NAME_KEY) },
      body: JSON.stringify({ reason: byId('add-reason', HTMLInputElement).value, grams,
        box: byId('add-box', HTMLInputElement).value, move }),
    });
    byId('add-parcel', HTMLFormElement).hidden = true;
  } catch (err) {
    setText('add-note', String(/** @type {any} */ (err)?.message ?? err));
  } finally {
    send.disabled = false;
  }
}

/**
 * Asks the server for the station's latest label, so that a page opened
 * after it was printed can still preview it.
 * @param {string} station
 */
async function findLastJob(station) {
  const query = new URLSearchParams({ station, limit: '1' });
  try {
    const res = await fetch(`/api/v1/print-jobs?${query}`, { cache: 'no-store' });
    const jobs = res.ok ? await res.json() : [];
    if (station === stationName && !previewJob && jobs[0]?.id) setPreviewJob(jobs[0].id);
  } catch {
    // Offline: the button appears with the next label instead.
  }
}

/**
 * Shows the Preview button for a job, or hides it for none.
 * @param {string} id
 */
function setPreviewJob(id) {
  previewJob = id;
  byId('preview-label', HTMLButtonElement).hidden = !id;
  const box = byId('label-preview', HTMLElement);
  if (box.dataset.job !== id) {
    box.hidden = true;
    box.replaceChildren();
  }
}

/**
 * Draws the last label, or hides it when it is shown. The renderer is
 * loaded on the first press only: packing never waits for it.
 */
async function togglePreview() {
  const box = byId('label-preview', HTMLElement);
  byId('scan', HTMLInputElement).focus();
  if (!previewJob) return;
  if (!box.hidden && box.dataset.job === previewJob) {
    box.hidden = true;
    return;
  }
  const job = previewJob;
  box.dataset.job = job;
  box.hidden = false;
  try {
    const { decodeZPL, fetchJobZPL, showPreview } = await import('./preview.js');
    await showPreview(box, decodeZPL(await fetchJobZPL(job)), job);
  } catch (err) {
    box.dataset.state = 'error';
    box.replaceChildren(make('p', 'preview-status', `${job}: ${/** @type {any} */ (err)?.message ?? err}`));
  }
}

main();
