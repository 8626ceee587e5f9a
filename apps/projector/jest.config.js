module.exports = {
  displayName: 'projector',
  preset: '../../jest.postgres-preset.js',
  rootDir: __dirname,
};
