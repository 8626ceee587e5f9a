// Runs TypeScript entry points directly (npm start, bench, scripts): swc transpiles with
// decorator metadata for Nest, and the path aliases of tsconfig.base.json resolve at run time.
process.env.SWC_NODE_PROJECT ??= require('path').join(__dirname, '..', 'tsconfig.base.json');
require('@swc-node/register');
