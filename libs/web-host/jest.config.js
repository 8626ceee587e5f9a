module.exports = {
  displayName: 'web-host',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
