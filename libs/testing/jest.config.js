module.exports = {
  displayName: 'testing',
  preset: '../../jest.postgres-preset.js',
  rootDir: __dirname,
};
