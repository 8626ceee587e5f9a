module.exports = {
  displayName: 'relay',
  preset: '../../jest.postgres-preset.js',
  rootDir: __dirname,
};
