// @ts-check
// Label previews: any ZPL drawn as PNG pictures in the browser, with no
// printer and no internet. The drawing happens in a module Web Worker
// (preview-worker.js) that is started on the first preview, so the renderer,
// megabytes of WebAssembly, is fetched only then and the page stays
// responsive while it draws. A document with several labels (^XA…^XZ
// formats) shows every one.

import { make } from './ui.js';

/** A 4 x 6 inch label at 8 dots/mm (203 dpi), unless the ZPL says otherwise. */
export const DEFAULT_WIDTH_MM = 101.6;
export const DEFAULT_HEIGHT_MM = 152.4;
export const DEFAULT_DPMM = 8;

/**
 * @typedef {object} LabelSize
 * @property {number} widthMm
 * @property {number} heightMm
 * @property {number} dpmm dots per millimetre of the printer
 */

/** @type {Worker | null} */
let worker = null;
let nextId = 1;

/** @type {Map<number, {resolve: (pngs: string[]) => void, reject: (err: Error) => void}>} */
const waiting = new Map();

/** Starts the renderer's worker, once. */
function startWorker() {
  if (worker) return worker;
  const w = new Worker(new URL('./preview-worker.js', import.meta.url), { type: 'module' });
  w.addEventListener('message', (event) => {
    const { id, pngs, error } = event.data;
    const job = waiting.get(id);
    waiting.delete(id);
    if (error) job?.reject(new Error(`The renderer could not draw this label: ${error}`));
    else job?.resolve(pngs);
  });
  // The worker's module failed to load or run: every preview waiting fails,
  // and the next one starts a new worker.
  w.addEventListener('error', (event) => {
    event.preventDefault();
    for (const job of waiting.values()) job.reject(new Error('The label renderer could not start.'));
    waiting.clear();
    w.terminate();
    if (worker === w) worker = null;
  });
  worker = w;
  return w;
}

/**
 * The label's size: ^PW (print width) and ^LL (label length), in dots, when
 * the ZPL gives them, else 4 x 6 inches.
 * @param {string} zpl
 * @param {number} [dpmm]
 * @returns {LabelSize}
 */
export function labelSize(zpl, dpmm = DEFAULT_DPMM) {
  const dots = (/** @type {RegExp} */ re) => {
    const n = Number(re.exec(zpl)?.[1] ?? 0);
    return n > 0 ? n : 0;
  };
  const width = dots(/\^PW\s*(\d+)/i);
  const length = dots(/\^LL\s*(\d+)/i);
  return {
    widthMm: width ? width / dpmm : DEFAULT_WIDTH_MM,
    heightMm: length ? length / dpmm : DEFAULT_HEIGHT_MM,
    dpmm,
  };
}

/**
 * Reads a label's bytes as text for the renderer: UTF-8 (ZPL's ^CI28), the
 * byte-order mark dropped.
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function decodeZPL(bytes) {
  return new TextDecoder('utf-8').decode(bytes);
}

/**
 * Draws every label of a ZPL document.
 * @param {string} zpl
 * @param {LabelSize} size
 * @returns {Promise<string[]>} one base64 PNG per label
 */
export function renderZPL(zpl, size) {
  const w = startWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.postMessage({ id, zpl, widthMm: size.widthMm, heightMm: size.heightMm, dpmm: size.dpmm });
  });
}

/**
 * Fetches a print job's ZPL exactly as it was stored and sent.
 * @param {string} jobId
 * @returns {Promise<Uint8Array>}
 */
export async function fetchJobZPL(jobId) {
  const res = await fetch(`/api/v1/print-jobs/${encodeURIComponent(jobId)}/zpl`, { cache: 'no-store' });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new Error(body?.error ?? `The server answered ${res.status}.`);
  }
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * Draws a ZPL document into box: one picture per label, with a caption, and
 * a status line. box.dataset.state is "rendering", then "done" (with
 * data-count, the number of labels) or "error".
 * @param {HTMLElement} box
 * @param {string} zpl
 * @param {string} title what is shown, e.g. the job id or the file name
 * @param {number} [dpmm]
 */
export async function showPreview(box, zpl, title, dpmm = DEFAULT_DPMM) {
  const size = labelSize(zpl, dpmm);
  box.hidden = false;
  box.dataset.state = 'rendering';
  delete box.dataset.count;
  const status = make('p', 'preview-status', `Drawing ${title}…`);
  status.setAttribute('role', 'status');
  box.replaceChildren(status);
  const started = performance.now();
  try {
    const pngs = await renderZPL(zpl, size);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const mm = `${round(size.widthMm)} × ${round(size.heightMm)} mm at ${size.dpmm} dots/mm`;
    status.textContent = pngs.length === 0
      ? `${title}: no label in this ZPL.`
      : `${title}: ${pngs.length} label${pngs.length === 1 ? '' : 's'}, ${mm} (${seconds} s).`;
    box.append(...pngs.map((png, i) => figure(png, `Label ${i + 1} of ${pngs.length}`)));
    box.dataset.count = String(pngs.length);
    box.dataset.state = 'done';
  } catch (err) {
    status.textContent = `${title}: ${/** @type {any} */ (err)?.message ?? err}`;
    box.dataset.state = 'error';
  }
}

/**
 * @param {string} png base64
 * @param {string} caption
 * @returns {HTMLElement}
 */
function figure(png, caption) {
  const fig = make('figure', 'label-picture');
  const img = document.createElement('img');
  img.src = `data:image/png;base64,${png}`;
  img.alt = caption;
  fig.append(img, make('figcaption', '', caption));
  return fig;
}

/** @param {number} n */
function round(n) {
  return Math.round(n * 10) / 10;
}
