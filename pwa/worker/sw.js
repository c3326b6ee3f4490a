// @ts-check
// The Shipshape service worker. The server puts two constants in front of
// this file: VERSION, a hash of every file the app shell is made of, and
// SHELL, the URLs of those files (the pages, the manifest and the hashed
// static files). Each version keeps its own cache, so a page and the modules
// it names always come from the same release, and a new release installs a
// new worker because this file changes with it.
//
// The shell is served cache-first. Everything else, and above all /api/ and
// /ws/, goes to the network untouched: the server owns every decision about
// a scan and its answers must never come from a cache.

const CACHE_PREFIX = 'shipshape-';
const CACHE = CACHE_PREFIX + VERSION;
const SHELL_PATHS = new Set(SHELL);

const worker = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

worker.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(dropOldCaches());
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;

  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/ws/')) return;
  if (!SHELL_PATHS.has(url.pathname)) return;

  event.respondWith(fromShell(request, url.pathname));
});

/** Fetches the whole shell into this version's cache, then takes over. */
async function precache() {
  const cache = await caches.open(CACHE);
  await cache.addAll(SHELL);
  await worker.skipWaiting();
}

/** Deletes the caches of earlier versions and controls the open pages. */
async function dropOldCaches() {
  const names = await caches.keys();
  const old = names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== CACHE);
  await Promise.all(old.map((n) => caches.delete(n)));
  await worker.clients.claim();
}

/**
 * Answers from the cache, keyed by path alone so that /pack?station=S1 finds
 * /pack; falls back to the network if the entry has gone missing.
 * @param {Request} request
 * @param {string} path
 * @returns {Promise<Response>}
 */
async function fromShell(request, path) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(path);
  return hit || fetch(request);
}
