module.exports = {
  displayName: 'platform',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // The test starts the platform as a child process with its own embedded PostgreSQL.
  testTimeout: 120_000,
};
