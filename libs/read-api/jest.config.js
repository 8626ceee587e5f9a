module.exports = {
  displayName: 'read-api',
  preset: '../../jest.postgres-preset.js',
  rootDir: __dirname,
  testTimeout: 30_000,
};
