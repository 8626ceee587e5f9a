module.exports = {
  displayName: 'stream',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
