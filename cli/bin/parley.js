#!/usr/bin/env node
import { existsSync } from 'node:fs';
// Committed launcher so `npx parley` is linked at install time, before the build creates dist/.
import { pathToFileURL } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('parley: not built yet. Run `npm run build` in the repository root first.\n');
  process.exit(2);
}
await import(pathToFileURL(main.pathname).href);
