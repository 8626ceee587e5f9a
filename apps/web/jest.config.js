module.exports = {
  displayName: 'web',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/e2e/**/*.spec.ts'],
  // Builds the page (when stale), starts the platform with its own embedded PostgreSQL and a
  // headless Chromium: minutes, not seconds, on a shared machine.
  testTimeout: 180_000,
};
