import vue from '@vitejs/plugin-vue';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The files the app takes from the libraries (each imports nothing); tools/ensure-built.mjs hashes them too. */
export const SHARED_FROM_LIBS = {
  '@lbc/domain/event-type-names': resolve(here, '../../libs/domain/src/interchange/event-type-names.ts'),
};

/** Issue 16: the JavaScript a first visit must load before the page works. */
const INITIAL_JS_BUDGET_BYTES = 300 * 1024;

/**
 * Prints the gzipped size of the initial JavaScript (the entry and every chunk it imports
 * statically; lazy chunks such as the charts excluded) and fails the build above the budget.
 */
function initialJsBudget(): Plugin {
  return {
    name: 'initial-js-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [[item.fileName, item] as const] : [])));
      const initial = new Set<string>();
      const visit = (fileName: string) => {
        if (initial.has(fileName)) return;
        initial.add(fileName);
        chunks.get(fileName)?.imports.forEach(visit);
      };
      [...chunks.values()].filter((chunk) => chunk.isEntry).forEach((chunk) => visit(chunk.fileName));
      const bytes = [...initial].reduce((sum, fileName) => sum + gzipSync(chunks.get(fileName)?.code ?? '').length, 0);
      const line = `initial JS: ${(bytes / 1024).toFixed(1)} kB gzipped in ${initial.size} file(s) (budget ${INITIAL_JS_BUDGET_BYTES / 1024} kB)`;
      if (bytes > INITIAL_JS_BUDGET_BYTES) this.error(`${line}: over budget`);
      console.log(line);
    },
  };
}

/**
 * Writes the service worker (src/sw.js) beside the build with the list of files to keep for
 * offline use: every built file but the fonts (hundreds of subsets; the worker keeps those the
 * page fetches), and a version from that list so a new build replaces the old shell.
 */
function serviceWorker(): Plugin {
  return {
    name: 'service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((fileName) => !/\.(woff2?|map)$/.test(fileName) && fileName !== 'index.html')
        .sort()
        .map((fileName) => `/${fileName}`);
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
      const source = readFileSync(resolve(here, 'src/sw.js'), 'utf8').replace("'__VERSION__'", JSON.stringify(version)).replace('__PRECACHE__', JSON.stringify(files));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  plugins: [vue(), initialJsBudget(), serviceWorker()],
  resolve: { alias: SHARED_FROM_LIBS },
  define: {
    // vue-i18n: the Composition API only; no legacy API or devtools hooks in the bundle.
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_OPTIONS_API__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
  build: {
    outDir: resolve(here, '../../dist/apps/web'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
