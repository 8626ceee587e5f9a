module.exports = {
  displayName: 'accounts',
  preset: '../../jest.postgres-preset.js',
  rootDir: __dirname,
  // argon2 is deliberately slow, and slower still when other projects' tests share the cores.
  testTimeout: 30_000,
};
