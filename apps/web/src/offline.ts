/**
 * The app shell offline: a small hand-written service worker (src/sw.js, its precache list
 * written in by the build). Hand-written rather than a plugin: it does three things (precache
 * the build, serve the page's navigations from it, keep the school's last lists for reading
 * offline), and what it does to personal data is visible in 60 lines.
 */
export const API_CACHE = 'lbc-api';

export function registerServiceWorker(): void {
  // The dev server's modules are not the build's: only a build has a shell to keep.
  if (import.meta.env.PROD && 'serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js');
}

/** Signing out leaves no child's data on the device: the API answers kept for offline reading go. */
export async function forgetOfflineCopies(): Promise<void> {
  localStorage.removeItem('lbc.carers');
  if ('caches' in window) await caches.delete(API_CACHE);
}
