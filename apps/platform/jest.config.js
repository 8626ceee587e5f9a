module.exports = {
  displayName: 'platform',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // @lbc/testing pulls in ESM-only dependencies: compile them to CommonJS for Jest.
  transform: { '^.+\\.m?js$': '<rootDir>/../../tools/jest-esm-transform.js' },
  transformIgnorePatterns: [],
  // The test starts the platform as a child process with its own embedded PostgreSQL.
  testTimeout: 120_000,
};
