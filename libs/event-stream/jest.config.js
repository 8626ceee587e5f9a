module.exports = {
  displayName: 'event-stream',
  preset: '../../jest.postgres-preset.js',
  rootDir: __dirname,
};
