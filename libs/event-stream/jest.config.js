module.exports = {
  displayName: 'stream',
  preset: '../../jest.postgres-preset.js',
  rootDir: __dirname,
};
