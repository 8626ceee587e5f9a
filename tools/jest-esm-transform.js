// Jest (on Node 20) cannot require ES modules, and NestJS 12 ships only ES modules. This
// transformer compiles ESM files from node_modules to CommonJS with swc (import.meta.url and
// dynamic import() included); CommonJS files pass through untouched. Use it with
// `transformIgnorePatterns: []` and a `'^.+\\.m?js$'` transform entry.
//
// Jest also runs globalSetup files through its transforms, but there Node's own loader (which on
// Node >= 20.19 requires ES modules natively) evaluates the result, and would parse CommonJS
// output of a `"type": "module"` package as ESM. Jest sets JEST_WORKER_ID only once tests run
// (in workers, and in band), so its absence marks the globalSetup phase: leave sources untouched.
const { transformSync } = require('@swc/core');
const { createHash } = require('node:crypto');

const ESM_SYNTAX = /^\s*(import\s*[\w{*'"]|export\s)/m;

// An ES module may declare its own `require`, `__dirname` or `__filename` (e.g. from createRequire);
// as CommonJS they would clash with the module wrapper's parameters, so such a module's own
// bindings are renamed (an ES module cannot mean the CommonJS ones).
const WRAPPER_NAMES = ['require', '__dirname', '__filename'];
function renameOwnBindings(source) {
  return WRAPPER_NAMES.reduce((code, name) => {
    if (!new RegExp(`\\b(const|let|var)\\s+${name}\\b`).test(code)) return code;
    return code.replace(new RegExp(`(?<![.\\w$'"\`])${name}(?![\\w$'"\`])`, 'g'), `__esm_${name}`);
  }, source);
}

const inTestSandbox = () => process.env.JEST_WORKER_ID !== undefined;

module.exports = {
  process(source, filename) {
    if (!inTestSandbox() || !ESM_SYNTAX.test(source)) return { code: source };
    const { code, map } = transformSync(renameOwnBindings(source), {
      filename,
      sourceMaps: true,
      module: { type: 'commonjs', ignoreDynamic: false },
      jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
      swcrc: false,
      configFile: false,
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    const phase = inTestSandbox() ? 'sandbox' : 'global-setup';
    return createHash('sha256').update('esm-to-cjs-3').update(phase).update(filename).update(source).digest('hex');
  },
};
