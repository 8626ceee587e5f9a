import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Which kind of project may use which: the domain stays pure, testing code stays in specs.
const layers = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:data-access', 'type:domain', 'type:util'] },
];
const boundaries = (extra) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    banTransitiveDependencies: true,
    allow: [],
    // A port's conformance suite lives in libs/testing and imports the port's lib, whose adapter
    // specs run it: a cycle through spec files only.
    ignoredCircularDependencies: [['testing', 'event-store'], ['testing', 'messaging'], ['testing', 'postgres']],
    depConstraints: layers.map((c) => ({
      ...c,
      onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, ...extra],
    })),
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', 'deploy/kafka/libs', '**/jest.config.js', 'jest.preset.js', 'tools/*.js'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@nx/enforce-module-boundaries': boundaries([]),
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration once in the app (libs/config), then pass it in.' },
      ],
    },
  },
  {
    // Specs may use the testing libraries; production code may not.
    files: ['**/*.spec.ts', '**/testing/**/*.ts', 'test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(['type:testing']) },
  },
  {
    // Configuration and test harnesses are where the environment is read.
    files: ['libs/config/**/*.ts', 'libs/testing/**/*.ts', 'apps/*/src/main.ts', 'test/**/*.ts', '**/*.spec.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The domain is pure: no I/O, no framework, no clock, no randomness.
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@nestjs/*', 'pg', 'typeorm', 'kafkajs', '@eventstore/*', 'node:*', 'crypto', 'fs', 'http'], message: 'libs/domain is pure TypeScript.' }] },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Time comes in with the command.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Time comes in with the command.' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'Ids come in with the command.' },
      ],
    },
  },
];
