// @ts-check
// The admin's labels page: the latest print jobs, each of which can be
// previewed; a courier's label file, opened or pasted, to preview and to
// print at a station exactly as it is (POST /api/v1/stations/ID/print); and
// the warehouse's own bin, tote, product and badge labels, built by the
// server, to preview and print (/api/v1/labels/KIND/CODE).

import { DEFAULT_DPMM, decodeZPL, fetchJobZPL, showPreview } from './preview.js';
import { byId, fetchBytes, fetchJSON, make, recall, remember, startPage } from './ui.js';
import { newId } from './ws.js';

/**
 * @typedef {object} JobSummary
 * @property {string} id
 * @property {'shipping' | 'courier' | 'bin' | 'tote' | 'product' | 'badge'} kind
 * @property {string} station
 * @property {string} printer
 * @property {string} status
 * @property {string} [error]
 * @property {string} [order_number]
 * @property {string} [tracking]
 * @property {number} bytes
 * @property {string} created_at
 */

const LIMIT = 50;
const USER_KEY = 'shipshape.admin';
const STATION_KEY = 'shipshape.print-station';

/** A file this large is previewed and printed but not shown as text. */
const SHOW_TEXT_MAX = 1 << 20;

/**
 * The label to preview or print: the bytes of the opened file, kept as they
 * are, or the pasted text as UTF-8.
 * @type {{ bytes: Uint8Array, name: string } | null}
 */
let source = null;

/** What the code field holds for each kind of warehouse label. */
const CODE_HINTS = /** @type {Record<string, string>} */ ({
  bin: 'e.g. A-01-01', tote: 'e.g. TOTE-0042', product: 'a SKU, e.g. 918223582', badge: 'a name, e.g. Ann',
});

/**
 * A warehouse label print that got no answer: pressing Print again for the
 * same label sends the same Idempotency-Key, so the server prints it once.
 * @type {{ request: string, key: string } | null}
 */
let unanswered = null;

/** Counts badge QR codes asked for, so that only the latest is shown. */
let qrAsked = 0;

function main() {
  startPage();
  const user = byId('print-user', HTMLInputElement);
  const station = byId('print-station', HTMLInputElement);
  user.value = recall(USER_KEY);
  station.value = recall(STATION_KEY);

  byId('zpl-file', HTMLInputElement).addEventListener('change', openFile);
  byId('zpl-text', HTMLTextAreaElement).addEventListener('input', (e) => {
    const text = /** @type {HTMLTextAreaElement} */ (e.target).value;
    source = text ? { bytes: new TextEncoder().encode(text), name: 'the pasted ZPL' } : null;
  });
  byId('zpl-form', HTMLFormElement).addEventListener('submit', (e) => {
    e.preventDefault();
    previewSource();
  });
  byId('print-form', HTMLFormElement).addEventListener('submit', (e) => {
    e.preventDefault();
    void printSource(station.value.trim(), user.value.trim());
  });
  setUpWarehouseLabels();
  byId('jobs', HTMLElement).addEventListener('click', (e) => {
    const button = /** @type {HTMLElement} */ (e.target).closest('button[data-job]');
    if (button instanceof HTMLButtonElement) void previewJob(button.dataset.job ?? '');
  });
  void showJobs();
}

/** The chosen printer resolution, in dots per millimetre. */
function dpmm() {
  return Number(byId('dpmm', HTMLSelectElement).value) || 8;
}

/** Lists the latest print jobs, newest first. */
async function showJobs() {
  const body = byId('jobs', HTMLElement);
  const status = byId('jobs-status', HTMLElement);
  try {
    /** @type {JobSummary[]} */
    const jobs = (await fetchJSON(`/api/v1/print-jobs?limit=${LIMIT}`)) ?? [];
    body.replaceChildren(...jobs.map(jobRow));
    status.textContent = jobs.length === 0 ? 'No labels printed yet.'
      : `Latest ${jobs.length} print job${jobs.length === 1 ? '' : 's'}, newest first.`;
  } catch (err) {
    body.replaceChildren();
    status.textContent = String(/** @type {any} */ (err)?.message ?? err);
  }
}

/**
 * @param {JobSummary} j
 * @returns {HTMLElement}
 */
function jobRow(j) {
  const tr = make('tr');
  tr.dataset.job = j.id;
  tr.dataset.status = j.status;
  const what = j.kind === 'courier' ? 'courier file'
    : j.kind === 'shipping' ? (j.tracking ?? '') : `${j.kind} label`;
  const status = j.error ? `${j.status}: ${j.error}` : j.status;
  const button = make('button', 'small', 'Preview');
  button.dataset.job = j.id;
  button.setAttribute('type', 'button');
  button.setAttribute('aria-label', `Preview ${j.id}`);
  const cells = [make('td', 'time', stamp(j.created_at)), make('td', 'mono', j.id), make('td', '', j.station),
    make('td', 'mono', [j.order_number, what].filter(Boolean).join(' · ')), make('td', '', status),
    make('td')];
  cells[5].append(button);
  tr.append(...cells);
  return tr;
}

/**
 * Previews a stored print job's ZPL.
 * @param {string} id
 */
async function previewJob(id) {
  const box = byId('preview', HTMLElement);
  box.scrollIntoView({ block: 'start' });
  try {
    const zpl = decodeZPL(await fetchJobZPL(id));
    await showPreview(box, zpl, id, dpmm());
  } catch (err) {
    box.hidden = false;
    box.dataset.state = 'error';
    box.replaceChildren(make('p', 'preview-status', `${id}: ${/** @type {any} */ (err)?.message ?? err}`));
  }
}

/** Reads the opened file's bytes, showing its text when it is not huge. */
async function openFile() {
  const input = byId('zpl-file', HTMLInputElement);
  const text = byId('zpl-text', HTMLTextAreaElement);
  const file = input.files?.[0];
  if (!file) return;
  source = { bytes: new Uint8Array(await file.arrayBuffer()), name: file.name };
  text.value = source.bytes.length <= SHOW_TEXT_MAX ? decodeZPL(source.bytes) : '';
  text.placeholder = source.bytes.length <= SHOW_TEXT_MAX ? '^XA … ^XZ'
    : `${file.name}: ${source.bytes.length} bytes, too large to show here`;
  previewSource();
}

/** Previews the opened file or the pasted ZPL. */
function previewSource() {
  const box = byId('preview', HTMLElement);
  if (!source) {
    box.hidden = false;
    box.dataset.state = 'error';
    box.replaceChildren(make('p', 'preview-status', 'Open a ZPL file or paste one first.'));
    return;
  }
  void showPreview(box, decodeZPL(source.bytes), source.name, dpmm());
}

/**
 * Sends the label's bytes to a station's printer, as they are.
 * @param {string} station
 * @param {string} user
 */
async function printSource(station, user) {
  const status = byId('print-status', HTMLElement);
  if (!source) {
    status.textContent = 'Open a ZPL file or paste one first.';
    return;
  }
  remember(USER_KEY, user);
  remember(STATION_KEY, station);
  status.textContent = `Sending ${source.name} to ${station}…`;
  try {
    const out = await fetchJSON(`/api/v1/stations/${encodeURIComponent(station)}/print`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/zpl', 'X-Shipshape-User': user },
      body: source.bytes,
    });
    status.textContent = out.status === 'printed'
      ? `Printed at ${station} as ${out.job_id} on ${out.printer}.`
      : `Stored as ${out.job_id} but NOT printed: ${out.error}`;
    status.dataset.status = out.status;
  } catch (err) {
    status.textContent = String(/** @type {any} */ (err)?.message ?? err);
    status.dataset.status = 'refused';
  }
  void showJobs();
}

function setUpWarehouseLabels() {
  const kind = byId('wh-kind', HTMLSelectElement);
  const code = byId('wh-code', HTMLInputElement);
  byId('wh-user', HTMLInputElement).value = recall(USER_KEY);
  byId('wh-station', HTMLInputElement).value = recall(STATION_KEY);
  kind.addEventListener('change', () => {
    code.placeholder = CODE_HINTS[kind.value] ?? '';
  });
  byId('wh-form', HTMLFormElement).addEventListener('submit', (e) => {
    e.preventDefault();
    void previewWarehouseLabel();
  });
  byId('wh-print', HTMLButtonElement).addEventListener('click', () => void printWarehouseLabel());
}

/**
 * The warehouse label chosen: its kind, its code and its API path.
 * @returns {{ kind: string, code: string, path: string }}
 */
function warehouseLabel() {
  const kind = byId('wh-kind', HTMLSelectElement).value;
  const code = byId('wh-code', HTMLInputElement).value.trim();
  return { kind, code, path: `/api/v1/labels/${kind}/${encodeURIComponent(code)}` };
}

/** Previews the chosen warehouse label, and for a badge shows its QR code. */
async function previewWarehouseLabel() {
  const { kind, code, path } = warehouseLabel();
  const box = byId('preview', HTMLElement);
  const title = `${kind} label ${code}`;
  void showBadgeQR(kind === 'badge' ? code : '');
  try {
    const zpl = decodeZPL(await fetchBytes(path));
    await showPreview(box, zpl, title, DEFAULT_DPMM);
  } catch (err) {
    box.hidden = false;
    box.dataset.state = 'error';
    box.replaceChildren(make('p', 'preview-status', `${title}: ${/** @type {any} */ (err)?.message ?? err}`));
  }
}

/**
 * Shows a user's badge QR code as the server draws it for screens, or hides
 * it when user is "". The figure's data-state is "done" or "error".
 * @param {string} user
 */
async function showBadgeQR(user) {
  const fig = byId('badge-qr', HTMLElement);
  const img = byId('badge-qr-img', HTMLImageElement);
  const caption = byId('badge-qr-caption', HTMLElement);
  const url = `/api/v1/labels/badge/${encodeURIComponent(user)}?format=png`;
  const asked = ++qrAsked;
  img.removeAttribute('src');
  fig.hidden = user === '';
  delete fig.dataset.state;
  if (!user) return;
  caption.textContent = `Badge of ${user}…`;
  try {
    img.src = url;
    img.alt = `Badge QR code of ${user}`;
    await img.decode();
    if (asked !== qrAsked) return;
    caption.textContent = `Badge of ${user}, for a screen: the code is USER-${user.toUpperCase()}.`;
    fig.dataset.state = 'done';
  } catch {
    if (asked !== qrAsked) return;
    img.removeAttribute('src');
    // The picture failed: ask again for the server's reason.
    const why = await fetchBytes(url).then(() => 'the picture could not be shown.',
      (err) => /** @type {any} */ (err)?.message ?? String(err));
    if (asked !== qrAsked) return;
    caption.textContent = `Badge of ${user}: ${why}`;
    fig.dataset.state = 'error';
  }
}

/**
 * Prints the chosen warehouse label at a station. A request that got no
 * answer is sent again with its Idempotency-Key when Print is pressed again
 * for the same label, so a lost answer never prints it twice.
 */
async function printWarehouseLabel() {
  const { kind, code, path } = warehouseLabel();
  const status = byId('wh-status', HTMLElement);
  const station = byId('wh-station', HTMLInputElement).value.trim();
  const user = byId('wh-user', HTMLInputElement).value.trim();
  const copies = byId('wh-copies', HTMLInputElement).value.trim() || '1';
  if (!code || !station || !user) {
    status.textContent = 'Type the code, the station to print at and your name first.';
    status.dataset.status = 'refused';
    return;
  }
  remember(USER_KEY, user);
  remember(STATION_KEY, station);
  const request = `${path}/print?station=${encodeURIComponent(station)}&copies=${encodeURIComponent(copies)}`;
  const key = unanswered?.request === `${user} ${request}` ? unanswered.key : newId();
  unanswered = { request: `${user} ${request}`, key };
  status.textContent = `Sending the ${kind} label ${code} to ${station}…`;
  try {
    const out = await fetchJSON(request, {
      method: 'POST',
      headers: { 'X-Shipshape-User': user, 'Idempotency-Key': key },
    });
    unanswered = null;
    const what = `${out.copies === 1 ? '' : `${out.copies} copies of `}${out.kind} label ${out.code}`;
    status.textContent = out.replayed ? `Already sent as ${out.job_id} (${out.status}): not printed again.`
      : out.status === 'printed' ? `Printed ${what} at ${station} as ${out.job_id} on ${out.printer}.`
        : `Stored ${what} as ${out.job_id} but NOT printed: ${out.error}`;
    status.dataset.status = out.status;
  } catch (err) {
    const lost = /** @type {any} */ (err)?.name === 'NetworkError';
    if (!lost) unanswered = null;
    status.textContent = lost
      ? 'No answer from the server: press Print again when it is back; it prints once.'
      : String(/** @type {any} */ (err)?.message ?? err);
    status.dataset.status = 'refused';
  }
  void showJobs();
}

/**
 * @param {string} at RFC 3339
 * @returns {string} local date and time to the second
 */
function stamp(at) {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  const p = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

main();
