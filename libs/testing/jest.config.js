module.exports = {
  displayName: 'testing',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  globalSetup: '<rootDir>/src/postgres.global-setup.ts',
  globalTeardown: '<rootDir>/src/postgres.global-teardown.ts',
};
