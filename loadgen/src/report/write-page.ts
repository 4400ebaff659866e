import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LoadgenError } from '../errors.js';

/** Write a rendered page to `path` (tmp file + rename: never half a page). */
export function writePage(path: string, html: string): { path: string; bytes: number } {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, html);
    renameSync(`${path}.tmp`, path);
  } catch (err) {
    throw new LoadgenError('LG_IO', `cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
  return { path, bytes: Buffer.byteLength(html) };
}
