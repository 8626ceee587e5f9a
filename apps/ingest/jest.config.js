module.exports = {
  displayName: 'ingest-app',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // Each test starts the app as a child process with its own embedded PostgreSQL.
  testTimeout: 120_000,
};
