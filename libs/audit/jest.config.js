module.exports = {
  displayName: 'audit',
  preset: '../../jest.postgres-preset.js',
  rootDir: __dirname,
  testTimeout: 30_000,
};
