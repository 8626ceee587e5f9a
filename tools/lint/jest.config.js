module.exports = {
  displayName: 'lint-config',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testTimeout: 120_000,
};
