// Builds the dashboard into dist/apps/web when the build is missing or older than its sources
// (`npm start` runs this first, as does the browser test); `--force` always builds. The sources'
// hash is stored beside the build, so an unchanged clone starts without building.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const app = fileURLToPath(new URL('..', import.meta.url));
const root = join(app, '..', '..');
const outDir = join(root, 'dist', 'apps', 'web');
const stamp = join(outDir, '.sources.sha256');

function filesUnder(path) {
  return statSync(path).isDirectory() ? readdirSync(path).sort().flatMap((name) => filesUnder(join(path, name))) : [path];
}

// The files the app takes from the libraries (SHARED_FROM_LIBS in vite.config.mts).
const fromLibs = [join(root, 'libs', 'domain', 'src', 'interchange', 'event-type-names.ts')];
const sources = [join(app, 'index.html'), join(app, 'vite.config.mts'), join(root, 'package-lock.json'), ...filesUnder(join(app, 'src')), ...fromLibs];
const hash = createHash('sha256');
for (const file of sources) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
const digest = hash.digest('hex');

if (!process.argv.includes('--force') && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) process.exit(0);
// Vite takes NODE_ENV as it finds it: under Jest (test) Vue and vue-i18n would build for development.
process.env.NODE_ENV = 'production';
const { build } = await import('vite');
const started = Date.now();
await build({ configFile: join(app, 'vite.config.mts'), mode: 'production', logLevel: 'warn' });
writeFileSync(stamp, digest);
console.log(`dashboard built into ${relative(root, outDir)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
