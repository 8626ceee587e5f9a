module.exports = {
  displayName: 'relay',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
