module.exports = {
  displayName: 'messaging',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  // One real Kafka broker for the run (the in-process specs do not use it).
  globalSetup: '<rootDir>/../testing/src/kafka.global-setup.ts',
  globalTeardown: '<rootDir>/../testing/src/kafka.global-teardown.ts',
};
