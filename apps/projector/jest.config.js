module.exports = {
  displayName: 'projector',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
