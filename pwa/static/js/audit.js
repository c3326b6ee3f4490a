// @ts-check
// The supervisor's audit page: one SKU's stock movements and availability
// per channel, and the latest entries of the audit trail. It only reads
// (GET /api/v1/...); the ledger and the trail are append-only, so a mistake
// is put right by a new movement, never by editing an old one.

import { byId, fetchJSON, make, setText, startPage } from './ui.js';

/**
 * @typedef {object} Movement
 * @property {string} at RFC 3339 time
 * @property {string} sku
 * @property {string} bin
 * @property {number} qty signed: positive in, negative out
 * @property {string} reason
 * @property {string} user
 * @property {string} [reference]
 * @property {string} [detail]
 */

/**
 * @typedef {object} Availability
 * @property {string} sku
 * @property {number} on_hand
 * @property {number} allocated
 * @property {number} available
 * @property {Record<string, number>} available_to_sell
 */

/**
 * @typedef {object} AuditEntry
 * @property {string} at
 * @property {string} actor
 * @property {string} action
 * @property {string} entity
 * @property {string} entity_id
 * @property {string} detail
 */

const LIMIT = 100;

function main() {
  startPage();
  const params = new URLSearchParams(location.search);
  const sku = byId('sku', HTMLInputElement);
  const entity = byId('entity', HTMLInputElement);
  const entityID = byId('entity-id', HTMLInputElement);
  sku.value = params.get('sku') ?? '';
  entity.value = params.get('entity') ?? '';
  entityID.value = params.get('id') ?? '';

  byId('sku-form', HTMLFormElement).addEventListener('submit', (e) => {
    e.preventDefault();
    sku.value = sku.value.trim();
    keepInURL();
    void showSKU(sku.value);
  });
  byId('audit-form', HTMLFormElement).addEventListener('submit', (e) => {
    e.preventDefault();
    entity.value = entity.value.trim();
    entityID.value = entityID.value.trim();
    keepInURL();
    void showAudit(entity.value, entityID.value);
  });

  if (sku.value) void showSKU(sku.value);
  else sku.focus();
  void showAudit(entity.value, entityID.value);
}

/** Puts the SKU and the filter in the address, so a view can be shared. */
function keepInURL() {
  const q = new URLSearchParams();
  for (const [key, id] of [['sku', 'sku'], ['entity', 'entity'], ['id', 'entity-id']]) {
    const v = byId(id, HTMLInputElement).value;
    if (v) q.set(key, v);
  }
  const search = q.toString();
  history.replaceState(null, '', search ? `?${search}` : location.pathname);
}

/**
 * Loads a SKU's availability and movements side by side.
 * @param {string} sku
 */
async function showSKU(sku) {
  const movements = byId('movements', HTMLElement);
  const avail = byId('availability', HTMLElement);
  if (!sku) {
    setText('sku-status', 'Type a SKU.');
    return;
  }
  setText('sku-status', `Loading ${sku}…`);
  const enc = encodeURIComponent(sku);
  const [a, m] = await Promise.allSettled([
    fetchJSON(`/api/v1/stock/${enc}/availability`),
    fetchJSON(`/api/v1/stock/${enc}/movements?limit=${LIMIT}`),
  ]);
  if (a.status === 'rejected' || m.status === 'rejected') {
    const err = a.status === 'rejected' ? a.reason : /** @type {any} */ (m).reason;
    setText('sku-status', String(err?.message ?? err));
    setText('stock-summary', '');
    avail.replaceChildren();
    movements.replaceChildren();
    return;
  }
  /** @type {Availability} */
  const av = a.value;
  /** @type {Movement[]} */
  const ms = m.value ?? [];
  setText('stock-summary',
    `${av.sku}: ${av.on_hand} on hand, ${av.allocated} allocated, ${av.available} available`);
  avail.replaceChildren(...Object.entries(av.available_to_sell ?? {})
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([channel, n]) => row([['', channel], ['num', String(n)]])));
  movements.replaceChildren(...ms.map(movementRow));
  setText('sku-status', ms.length === 0
    ? `${sku}: no movements yet.`
    : `${sku}: ${ms.length} movement${ms.length === 1 ? '' : 's'}, newest first.`);
}

/**
 * @param {Movement} m
 * @returns {HTMLElement}
 */
function movementRow(m) {
  const qty = m.qty > 0 ? `+${m.qty}` : String(m.qty);
  const tr = row([
    ['time', ''], ['', m.user], ['', m.reason], ['mono', m.bin], ['num', qty],
    ['mono', m.reference ?? ''], ['', m.detail ?? ''],
  ]);
  tr.className = m.qty < 0 ? 'out' : 'in';
  tr.dataset.reason = m.reason;
  tr.firstElementChild?.append(timeEl(m.at));
  return tr;
}

/**
 * Loads the latest audit entries, of one entity (and id) when given.
 * @param {string} entity
 * @param {string} id
 */
async function showAudit(entity, id) {
  const q = new URLSearchParams({ limit: String(LIMIT) });
  if (entity) q.set('entity', entity);
  if (id) q.set('id', id);
  const body = byId('audit', HTMLElement);
  setText('audit-status', 'Loading…');
  try {
    /** @type {AuditEntry[]} */
    const entries = (await fetchJSON(`/api/v1/audit?${q}`)) ?? [];
    body.replaceChildren(...entries.map((e) => {
      const tr = row([['time', ''], ['', e.actor], ['', e.action],
        ['mono', `${e.entity} ${e.entity_id}`.trim()], ['', e.detail]]);
      tr.firstElementChild?.append(timeEl(e.at));
      return tr;
    }));
    const what = [entity, id].filter(Boolean).join(' ');
    setText('audit-status', entries.length === 0
      ? `No entries${what ? ` for ${what}` : ''}.`
      : `Latest ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}${what ? ` for ${what}` : ''}, newest first.`);
  } catch (err) {
    body.replaceChildren();
    setText('audit-status', String(/** @type {any} */ (err)?.message ?? err));
  }
}

/**
 * A table row of cells, each with a class and text.
 * @param {[string, string][]} cells
 * @returns {HTMLElement}
 */
function row(cells) {
  const tr = make('tr');
  tr.append(...cells.map(([cls, text]) => make('td', cls, text)));
  return tr;
}

/**
 * A <time> showing an RFC 3339 time as local date and time to the second.
 * @param {string} at
 * @returns {HTMLElement}
 */
function timeEl(at) {
  const el = make('time', '', stamp(at));
  el.setAttribute('datetime', at);
  return el;
}

/**
 * @param {string} at
 * @returns {string}
 */
function stamp(at) {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  const p = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

main();
