import { InvalidArgumentError, Option } from 'commander';
import { parseDurationSec } from '../api/duration.js';
import { HTTP_CLIENT_KINDS } from '../model/http-client-kind.js';
import { parseTagList, parseTags } from '../model/run-provenance.js';

/** What the composition root (cli.ts) hands every command: environment and streams. */
export interface CliContext {
  env: {
    target?: string;
    metricsPort?: string;
    outDir?: string;
    /** LOADGEN_TAGS: `key=value` entries separated by commas. */
    tags?: string;
  };
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Set by a command to the process exit code. */
  setExitCode: (code: number) => void;
  /** Interrupt signal for long commands (SIGINT/SIGTERM). */
  interrupt: AbortSignal;
}

export const intArg =
  (flag: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError(`${flag} must be a whole number, got "${value}"`);
    return n;
  };

export const positiveArg =
  (flag: string) =>
  (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(`${flag} must be a positive number, got "${value}"`);
    return n;
  };

export const durationArg =
  (flag: string) =>
  (value: string): number => {
    const sec = parseDurationSec(value);
    if (sec === undefined || sec <= 0)
      throw new InvalidArgumentError(`${flag} "${value}" is not a duration (try 30s, 2m, 1m30s)`);
    return sec;
  };

export const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

/** `--tag key=value`, repeatable, shared by run and url. */
export const tagOption = (): Option =>
  new Option(
    '--tag <key=value>',
    'record a tag in the summary, repeatable (e.g. --tag commit=$(git rev-parse HEAD)); env LOADGEN_TAGS=k=v,k2=v2, which --tag overrides key by key',
  ).argParser(collect);

/** The run's tags: LOADGEN_TAGS first, then --tag (a key given in both keeps the flag's value). */
export function runTags(ctx: CliContext, flags: string[] | undefined): Record<string, string> {
  return { ...parseTagList(ctx.env.tags, 'LOADGEN_TAGS entry'), ...parseTags(flags ?? [], '--tag') };
}

/** `--http-client undici|lean`, shared by run and url (the default is resolveRun's). */
export const httpClientOption = (): Option =>
  new Option(
    '--http-client <kind>',
    "HTTP client: lean (loadgen's own HTTP/1.1 client, http:// only, less CPU and memory per user) or undici [default: lean for http://, undici for https://]",
  ).choices(HTTP_CLIENT_KINDS);
