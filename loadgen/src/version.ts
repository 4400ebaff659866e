import { createRequire } from 'node:module';

// src/ and dist/ both sit one level below the package root, so the same relative path works.
const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

export const LOADGEN_VERSION: string = pkg.version;
