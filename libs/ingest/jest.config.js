module.exports = {
  displayName: 'ingest',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // NestJS 12 is ESM-only: compile it (and other ESM dependencies) to CommonJS for Jest.
  transform: { '^.+\\.m?js$': '<rootDir>/../../tools/jest-esm-transform.js' },
  transformIgnorePatterns: [],
  globalSetup: '<rootDir>/../testing/src/postgres.global-setup.ts',
  globalTeardown: '<rootDir>/../testing/src/postgres.global-teardown.ts',
  testTimeout: 30_000,
};
