module.exports = {
  displayName: 'ingest-app',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
