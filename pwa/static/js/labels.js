// @ts-check
// The admin's labels page: the latest print jobs, each of which can be
// previewed, and a courier's label file, opened or pasted, to preview and
// to print at a station exactly as it is (POST /api/v1/stations/ID/print).

import { decodeZPL, fetchJobZPL, showPreview } from './preview.js';
import { byId, make, recall, remember, startPage } from './ui.js';

/**
 * @typedef {object} JobSummary
 * @property {string} id
 * @property {'shipping' | 'courier'} kind
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

/**
 * GETs an API path and returns its JSON, or throws an Error with the
 * server's message. The bar's #conn says whether the server answered.
 * @param {string} path
 * @param {RequestInit} [init]
 * @returns {Promise<any>}
 */
async function callJSON(path, init = {}) {
  let res;
  try {
    res = await fetch(path, { cache: 'no-store', ...init });
  } catch {
    setConn(false);
    throw new Error('No connection to the server.');
  }
  setConn(true);
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(body?.error ?? `The server answered ${res.status}.`);
  return body;
}

/** @param {boolean} online */
function setConn(online) {
  const el = byId('conn', HTMLElement);
  el.dataset.state = online ? 'open' : 'closed';
  el.textContent = online ? 'Online' : 'Offline';
}

/** Lists the latest print jobs, newest first. */
async function showJobs() {
  const body = byId('jobs', HTMLElement);
  const status = byId('jobs-status', HTMLElement);
  try {
    /** @type {JobSummary[]} */
    const jobs = (await callJSON(`/api/v1/print-jobs?limit=${LIMIT}`)) ?? [];
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
  const what = j.kind === 'courier' ? 'courier file' : (j.tracking ?? '');
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
    const out = await callJSON(`/api/v1/stations/${encodeURIComponent(station)}/print`, {
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
