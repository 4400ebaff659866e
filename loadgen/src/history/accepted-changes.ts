import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { formatZodError } from '../api/options-schema.js';
import { LoadgenError } from '../errors.js';

/**
 * Changes a person has looked at and accepted (a known regression, a deliberate trade-off), so
 * that `history --fail-on regression` stops failing on them. Kept in a small JSON file beside the
 * results (`history-accepted.json` in the first results directory, or `--accepted <file>`),
 * meant to be committed or kept with the results artefact.
 *
 * A change is known by the testid of the first run after it, not by its index: indices move as
 * runs are added or `--last` trims the series, a testid does not. Accepting a testid accepts
 * every change point that starts at that run, in every series, endpoint and figure.
 */
const acceptedFileSchema = z.object({
  accepted: z.array(
    z.object({
      /** The first run after the change. */
      testid: z.string().min(1),
      /** When it was accepted (ISO time). */
      acceptedAt: z.string(),
      /** The changes that started at that run when it was accepted, for the reader of the file. */
      changes: z.array(z.string()).default([]),
    }),
  ),
});
export type AcceptedFile = z.infer<typeof acceptedFileSchema>;

export const ACCEPTED_FILE_NAME = 'history-accepted.json';

export function defaultAcceptedPath(firstDir: string): string {
  return join(firstDir, ACCEPTED_FILE_NAME);
}

/** The accepted changes in `path`; none when the file does not exist. */
export function readAccepted(path: string): AcceptedFile {
  if (!existsSync(path)) return { accepted: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new LoadgenError(
      'LG_USAGE',
      `${path}: not readable JSON (${(error as Error).message}); fix it or delete it to accept nothing`,
    );
  }
  const parsed = acceptedFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new LoadgenError(
      'LG_USAGE',
      `${path}: not a list of accepted changes (${formatZodError(parsed.error)}); fix it or delete it to accept nothing`,
    );
  }
  return parsed.data;
}

/** Add (or refresh) an entry per testid and write the file (tmp file + rename). */
export function writeAccepted(
  path: string,
  current: AcceptedFile,
  additions: readonly { testid: string; changes: string[] }[],
  now: Date,
): AcceptedFile {
  const byTestid = new Map(current.accepted.map((a) => [a.testid, a]));
  for (const { testid, changes } of additions) {
    byTestid.set(testid, { testid, acceptedAt: now.toISOString(), changes });
  }
  const next = { accepted: [...byTestid.values()] };
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(`${path}.tmp`, `${JSON.stringify(next, null, 2)}\n`);
    renameSync(`${path}.tmp`, path);
  } catch (error) {
    throw new LoadgenError('LG_IO', `cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
  return next;
}
