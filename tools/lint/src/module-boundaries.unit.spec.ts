import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

interface Probe {
  /** Where the file would live: the rules depend on its project and on whether it is a spec. */
  readonly filePath: string;
  readonly code: string;
}

interface Finding {
  readonly ruleId: string | null;
  readonly message: string;
}

// ESLint runs outside jest's module sandbox (it loads eslint.config.mjs as an ES module), on the
// repository's own configuration. Types are not needed by the rules under test, so the probes are
// parsed without the project service (which only knows files on disk).
const LINT_TEXT = `
import { ESLint } from 'eslint';
import { createProjectGraphAsync } from '@nx/devkit';
await createProjectGraphAsync({ exitOnError: false });
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: { files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false } }, rules: { '@typescript-eslint/no-floating-promises': 'off' } },
});
const findings = [];
for (const { filePath, code } of JSON.parse(process.argv[1])) {
  const [result] = await eslint.lintText(code, { filePath });
  findings.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
console.log(JSON.stringify(findings));
`;

function lint(probes: readonly Probe[]): Finding[][] {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', LINT_TEXT, JSON.stringify(probes)], {
    cwd: ROOT,
    env: { ...process.env, NX_DAEMON: 'false' },
    encoding: 'utf8',
  });
  return JSON.parse(output.trim().split('\n').at(-1) ?? '[]') as Finding[][];
}

const rulesOf = (findings: readonly Finding[]) => findings.map((finding) => finding.ruleId);

describe('eslint.config.mjs: module boundaries', () => {
  let results: Finding[][];

  beforeAll(() => {
    results = lint([
      // 0: production code of the read side importing test helpers three ways
      {
        filePath: 'libs/read-api/src/school-lists/probe.ts',
        code: [
          "import { createTestDatabase } from '@lbc/testing';",
          "import { syntheticCounty } from '@lbc/event-stream/testing';",
          "import { startReadApiTestApp } from '../testing/read-api-test-app';",
          'export const used = [createTestDatabase, syntheticCounty, startReadApiTestApp];',
        ].join('\n'),
      },
      // 1: the read side importing the write side
      {
        filePath: 'libs/read-api/src/school-lists/probe.ts',
        code: "import { createIngestApp } from '@lbc/ingest';\nexport const used = createIngestApp;\n",
      },
      // 2: the same imports from a spec: allowed
      {
        filePath: 'libs/read-api/src/school-lists/probe.e2e.spec.ts',
        code: [
          "import { createTestDatabase } from '@lbc/testing';",
          "import { startIngestTestApp } from '@lbc/ingest/testing';",
          "import { startReadApiTestApp } from '../testing/read-api-test-app';",
          'export const used = [createTestDatabase, startIngestTestApp, startReadApiTestApp];',
        ].join('\n'),
      },
      // 3: production code within its scope: allowed
      {
        filePath: 'libs/read-api/src/school-lists/probe.ts',
        code: "import { Problem } from '@lbc/http';\nimport { schoolChildren } from '@lbc/read-models';\nexport const used = [Problem, schoolChildren];\n",
      },
    ]);
  });

  it('refuses a production import of a test helper: the testing lib by its tag, any testing/ entry point by its path', () => {
    const [findings] = results;
    expect(findings).toEqual(
      expect.arrayContaining([
        { ruleId: '@nx/enforce-module-boundaries', message: expect.stringContaining('type:feature') },
        { ruleId: 'no-restricted-imports', message: expect.stringContaining("'@lbc/testing'") },
        { ruleId: 'no-restricted-imports', message: expect.stringContaining("'@lbc/event-stream/testing'") },
        { ruleId: 'no-restricted-imports', message: expect.stringContaining("'../testing/read-api-test-app'") },
      ]),
    );
  });

  it('refuses a cross-scope import: the read side may not depend on the write side', () => {
    expect(results[1]).toEqual([
      { ruleId: '@nx/enforce-module-boundaries', message: 'A project tagged with "scope:read" can only depend on libs tagged with "scope:read", "scope:shared"' },
    ]);
  });

  it('lets specs use test helpers and drive the read side through the ingest app, and production code its own scope', () => {
    expect(rulesOf(results[2])).toEqual([]);
    expect(rulesOf(results[3])).toEqual([]);
  });
});
