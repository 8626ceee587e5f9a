module.exports = {
  displayName: 'postgres',
  preset: '../../jest.postgres-preset.js',
  rootDir: __dirname,
};
