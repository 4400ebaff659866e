#!/usr/bin/env node
// The `loadgen` command (`npx loadgen ...`). npm links a package's bins at install time, before
// `npm run build` has made dist/, and links none whose file is missing; so the bin is this file,
// which is in the repository, and it loads the built CLI.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('loadgen: not built yet (loadgen/dist/cli.js is missing): run npm run build first\n');
  process.exit(1);
}
await import(cli.href);
