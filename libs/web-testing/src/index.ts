// The web app's browser harness (the real platform as a child, Chromium from @sparticuz/chromium),
// for its browser tests and the dashboard bench.
export * from './browser-harness';
export * from './school-phone';
