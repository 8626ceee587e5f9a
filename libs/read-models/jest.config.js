module.exports = {
  displayName: 'read-models',
  preset: '../../jest.postgres-preset.js',
  rootDir: __dirname,
};
