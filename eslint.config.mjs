import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';

/** An order from the top: each tag may use itself and every tag below it, never one above. */
const downward = (order) => order.map((sourceTag, i) => ({ sourceTag, onlyDependOnLibsWithTags: order.slice(i) }));
// Which kind of project may use which: the domain stays pure, testing code stays in specs.
const LIB_TYPES = ['type:feature', 'type:data-access', 'type:domain', 'type:util'];
const layers = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: LIB_TYPES },
  ...downward(LIB_TYPES),
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', ...LIB_TYPES] },
];
// Which part of the platform may use which: the write side (ingest) composes the others; the
// stream (relay, projector, rebuild) writes the read models; the read side never reaches into the
// write side or the stream; what every part shares depends on nothing else. The platform, and the
// benches and tools that drive any part from outside as the tests do, may use every part.
const ALL_SCOPES = ['scope:write', 'scope:stream', 'scope:read', 'scope:shared'];
const scopes = [
  ...['scope:platform', 'scope:tooling'].map((sourceTag) => ({ sourceTag, onlyDependOnLibsWithTags: ALL_SCOPES })),
  ...downward(ALL_SCOPES),
];
/** Specs may also use the testing libraries, and drive a part through the app that mounts it (the read API through the ingest app). */
const boundaries = ({ tests }) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    banTransitiveDependencies: true,
    allow: [],
    // A port's conformance suite lives in libs/testing and imports the port's lib, whose adapter
    // specs run it: a cycle through spec files only.
    ignoredCircularDependencies: [['testing', 'event-store'], ['testing', 'messaging'], ['testing', 'postgres']],
    depConstraints: [
      ...layers.map((c) => (tests ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] } : c)),
      ...scopes.map((c) => (tests ? { ...c, onlyDependOnLibsWithTags: ALL_SCOPES } : c)),
    ],
  },
];
/**
 * Test helpers live in `testing/` folders (`@lbc/testing`, `@lbc/<lib>/testing`): production code
 * may not import them. The module-boundary rule cannot see a lib's own `testing/` entry point (it
 * is the same project), so imports are refused by path as well.
 */
const TEST_HELPERS = {
  group: ['@lbc/testing', '@lbc/testing/*', '@lbc/*/testing', '@lbc/*/testing/*', '**/testing', '**/testing/*', '**/*.spec', '**/global-setup', '**/*.global-setup'],
  message: 'Test helpers are for specs, test/ and testing/ folders only.',
};
/** The rules of the house, for TypeScript wherever it is written (.ts files and the web app's components). */
const OWN_RULES = {
  '@nx/enforce-module-boundaries': boundaries({ tests: false }),
  'no-restricted-imports': ['error', { patterns: [TEST_HELPERS] }],
  '@typescript-eslint/consistent-type-imports': 'error',
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
  'no-restricted-properties': [
    'error',
    { object: 'process', property: 'env', message: 'Read configuration once in the app (libs/config), then pass it in.' },
  ],
};
/** The web app's single-file components: their `<script setup lang="ts">` gets the TypeScript rules the .ts files get. */
const VUE_FILES = ['apps/web/**/*.vue'];
const forVue = (configs) => configs.map((config) => ({ ...config, files: VUE_FILES }));
/** Where test helpers may be used. */
const TEST_FILES = ['**/*.spec.ts', '**/testing/**/*.ts', 'libs/testing/**/*.ts', 'libs/web-testing/**/*.ts', 'test/**/*.ts', 'deploy/kafka/**/*.ts'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', 'deploy/kafka/libs', '**/jest.config.js', 'jest.preset.js', 'tools/*.js'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: OWN_RULES,
  },
  ...forVue(nx.configs['flat/typescript']),
  ...forVue(vue.configs['flat/recommended']),
  {
    files: VUE_FILES,
    languageOptions: {
      parser: vueParser,
      parserOptions: { parser: tseslint.parser, projectService: true, tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.vue'] },
    },
    rules: {
      ...OWN_RULES,
      // Tags are written on one line, with their text inline, like the TypeScript beside them (no formatter is used here).
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      // The house style: void elements closed as `<input />`, empty elements closed explicitly.
      'vue/html-self-closing': ['error', { html: { void: 'always', normal: 'never', component: 'always' } }],
    },
  },
  {
    // Specs may use the testing libraries; production code may not.
    files: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': boundaries({ tests: true }), 'no-restricted-imports': 'off' },
  },
  {
    // Configuration and test harnesses are where the environment is read.
    files: ['libs/config/**/*.ts', 'libs/testing/**/*.ts', 'apps/*/src/main.ts', 'test/**/*.ts', '**/*.spec.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // The domain is pure: no I/O, no framework, no clock, no randomness.
    files: ['libs/domain/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            TEST_HELPERS,
            { group: ['@nestjs/*', 'pg', 'typeorm', 'kafkajs', '@eventstore/*', 'node:*', 'crypto', 'fs', 'http'], message: 'libs/domain is pure TypeScript.' },
          ],
        },
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
