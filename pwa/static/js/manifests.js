// @ts-check
// The end-of-day manifests page: close a courier's day (POST
// /api/v1/manifests), list the closed manifests, and open one as a printable
// sheet for the driver to sign: order, parcel k/N, tracking number, weight.

import { byId, fetchJSON, make, recall, remember, startPage } from './ui.js';

/**
 * @typedef {object} Manifest
 * @property {number} id
 * @property {string} courier
 * @property {string} day YYYY-MM-DD
 * @property {string} courier_ref
 * @property {string} document_url
 * @property {boolean} has_document
 * @property {number} consignments
 * @property {number} parcels
 * @property {string} created_by
 * @property {string} created_at
 */

/**
 * @typedef {object} ManifestParcel
 * @property {number} parcel
 * @property {number} of
 * @property {string} tracking
 * @property {number | null} weight_g
 */

/**
 * @typedef {object} ManifestConsignment
 * @property {string} order
 * @property {string} carrier
 * @property {string} service
 * @property {ManifestParcel[]} parcels
 */

const USER_KEY = 'shipshape.user';

function main() {
  startPage();
  const user = byId('mf-user', HTMLInputElement);
  user.value = recall(USER_KEY) ?? '';
  byId('close-form', HTMLFormElement).addEventListener('submit', (ev) => {
    ev.preventDefault();
    remember(USER_KEY, user.value.trim());
    closeDay();
  });
  byId('print', HTMLButtonElement).addEventListener('click', () => window.print());
  const id = new URLSearchParams(location.search).get('id');
  loadList();
  if (id) openManifest(Number(id));
}

/** Closes the chosen courier's day and opens the new manifest. */
async function closeDay() {
  const msg = byId('mf-message', HTMLElement);
  const body = { courier: byId('mf-courier', HTMLInputElement).value.trim(),
    day: byId('mf-day', HTMLInputElement).value };
  msg.textContent = 'Closing…';
  try {
    const m = await fetchJSON('/api/v1/manifests', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json',
        'X-Shipshape-User': byId('mf-user', HTMLInputElement).value.trim() },
      body: JSON.stringify(body),
    });
    msg.textContent = `Manifest ${m.id} closed: ${m.consignments} consignments, ${m.parcels} parcels.`;
    await loadList();
    showSheet(m);
  } catch (err) {
    msg.textContent = err instanceof Error ? err.message : String(err);
  }
}

/** Lists the closed manifests, newest first. */
async function loadList() {
  /** @type {Manifest[]} */
  const list = await fetchJSON('/api/v1/manifests');
  const body = byId('manifests', HTMLElement);
  if (list.length === 0) return;
  body.replaceChildren(...list.map((m) => {
    const tr = make('tr');
    tr.dataset.id = String(m.id);
    const link = /** @type {HTMLAnchorElement} */ (make('a', '', String(m.id)));
    link.href = `/manifests?id=${m.id}`;
    link.addEventListener('click', (ev) => { ev.preventDefault(); openManifest(m.id); });
    const num = make('td');
    num.append(link);
    tr.append(num, make('td', '', m.courier), make('td', '', m.day), make('td', '', String(m.consignments)),
      make('td', '', String(m.parcels)), make('td', '', m.created_by));
    return tr;
  }));
}

/** @param {number} id */
async function openManifest(id) {
  try {
    showSheet(await fetchJSON(`/api/v1/manifests/${id}`));
    history.replaceState(null, '', `/manifests?id=${id}`);
  } catch (err) {
    byId('mf-message', HTMLElement).textContent = err instanceof Error ? err.message : String(err);
  }
}

/**
 * Shows one manifest as the printable sheet: one row per parcel.
 * @param {Manifest & {list: ManifestConsignment[]}} m
 */
function showSheet(m) {
  byId('sheet-head', HTMLElement).textContent = `Manifest ${m.id}: ${m.courier}, ${m.day}`;
  byId('sheet-meta', HTMLElement).textContent =
    `Courier reference ${m.courier_ref || '–'}; closed by ${m.created_by} at ${m.created_at}`;
  const doc = byId('sheet-doc', HTMLAnchorElement);
  doc.hidden = !m.has_document && !m.document_url;
  doc.href = m.has_document ? `/api/v1/manifests/${m.id}/document` : m.document_url;
  const rows = [];
  for (const c of m.list) {
    for (const p of c.parcels) {
      const tr = make('tr');
      tr.append(make('td', '', p.parcel === 1 ? c.order : ''), make('td', '', `${p.parcel}/${p.of}`),
        make('td', 'm-tracking', p.tracking), make('td', '', grams(p.weight_g)));
      rows.push(tr);
    }
  }
  byId('sheet-rows', HTMLElement).replaceChildren(...rows);
  byId('sheet-total', HTMLElement).textContent =
    `Consignments: ${m.consignments}. Parcels: ${m.parcels}.`;
  byId('sheet', HTMLElement).hidden = false;
}

/**
 * @param {number | null} g
 * @returns {string}
 */
function grams(g) {
  if (g == null) return '–';
  return g >= 1000 ? `${(g / 1000).toFixed(3)} kg` : `${g} g`;
}

main();
