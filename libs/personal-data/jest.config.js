module.exports = {
  displayName: 'personal-data',
  preset: '../../jest.postgres-preset.js',
  rootDir: __dirname,
};
