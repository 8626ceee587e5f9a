module.exports = {
  displayName: 'postgres',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  globalSetup: '<rootDir>/../testing/src/postgres.global-setup.ts',
  globalTeardown: '<rootDir>/../testing/src/postgres.global-teardown.ts',
  // @lbc/testing pulls in ESM-only dependencies: compile them to CommonJS for Jest.
  transform: { '^.+\\.m?js$': '<rootDir>/../../tools/jest-esm-transform.js' },
  transformIgnorePatterns: [],
};
