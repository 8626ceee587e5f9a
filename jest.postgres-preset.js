// For projects whose tests need PostgreSQL: one real server for the run (libs/testing), a fresh
// database per test file (`createTestDatabase`).
const base = require('./jest.preset.js');

module.exports = {
  ...base,
  globalSetup: '<rootDir>/../../libs/testing/src/postgres.global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/testing/src/postgres.global-teardown.ts',
};
