// Jest (on Node 20) cannot require ES modules, and NestJS 12 ships only ES modules. This
// transformer compiles ESM files from node_modules to CommonJS with swc (import.meta.url and
// dynamic import() included); CommonJS files pass through untouched. Use it with
// `transformIgnorePatterns: []` and a `'^.+\\.m?js$'` transform entry.
const { transformSync } = require('@swc/core');
const { createHash } = require('node:crypto');

const ESM_SYNTAX = /^\s*(import\s*[\w{*'"]|export\s)/m;

module.exports = {
  process(source, filename) {
    if (!ESM_SYNTAX.test(source)) return { code: source };
    const { code, map } = transformSync(source, {
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
    return createHash('sha256').update('esm-to-cjs-1').update(filename).update(source).digest('hex');
  },
};
