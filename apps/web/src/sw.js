/* The app shell offline (see offline.ts). The build replaces the two placeholders. */
const VERSION = '__VERSION__';
const SHELL = `lbc-shell-${VERSION}`;
const API = 'lbc-api';
const PRECACHE = ['/', ...__PRECACHE__];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('lbc-shell-') && key !== SHELL).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

/** The school's lists (children, worklist, carers, care homes) and files, kept from the last answer so a page reloaded offline still shows them. */
const READABLE_OFFLINE = /^\/api\/v1\/(schools\/[^/]+\/(worklist|children|carers|care-homes)|children\/[^/]+)$/;

async function networkFirst(request) {
  const cache = await caches.open(API);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (failure) {
    const kept = await cache.match(request);
    if (kept) return kept;
    throw failure;
  }
}

async function shellFirst(request) {
  const kept = await caches.match(request, { cacheName: SHELL });
  if (kept) return kept;
  const response = await fetch(request);
  // Fonts are many files: each kept once the page has needed it.
  if (response.ok && new URL(request.url).pathname.startsWith('/assets/')) await (await caches.open(SHELL)).put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // The page itself: the newest when online, the kept shell offline.
    event.respondWith(fetch(request).catch(() => caches.match('/', { cacheName: SHELL })));
  } else if (READABLE_OFFLINE.test(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (!url.pathname.startsWith('/api/')) {
    event.respondWith(shellFirst(request));
  }
});
