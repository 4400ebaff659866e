import { InvalidArgumentError, Option } from 'commander';
import { durationSecOf } from '../api/duration.js';
import { HTTP_CLIENT_KINDS } from '../model/http-client-kind.js';
import { parseTagList, parseTags } from '../model/run-provenance.js';

/** What the composition root (cli.ts) hands every command: environment and streams. */
export interface CliContext {
  env: {
    target?: string;
    metricsPort?: string;
    /** LOADGEN_METRICS_HOST: the address the metrics listen on. */
    metricsHost?: string;
    outDir?: string;
    /** LOADGEN_TAGS: `key=value` entries separated by commas. */
    tags?: string;
    /** $BROWSER: what --open starts. */
    browser?: string;
    /** LOADGEN_HEALTH=off turns the generator's health sampling off (the `health` benchmark only); no other value. */
    health?: string;
    /** LOADGEN_DASHBOARD_TOKEN: the token `loadgen control` sends when the URL has none. */
    dashboardToken?: string;
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

/** A number ≥ 0 (a rate that may be 0, a tolerance): commander's parser for `flag`. */
export const nonNegativeArg =
  (flag: string) =>
  (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new InvalidArgumentError(`${flag} must be 0 or a positive number, got "${value}"`);
    return n;
  };

/**
 * A share as a fraction (0.05) or a percentage (5%), returned as the fraction: every flag that
 * takes a share reads it the same way. More than 0 unless `allowZero`; at most 1 (100%) unless
 * `allowOverOne` (a relative change may be larger than the value itself).
 */
export const fractionArg =
  (flag: string, { allowZero = false, allowOverOne = false } = {}) =>
  (value: string): number => {
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(value.trim());
    const n =
      pct?.[1] !== undefined ? Number(pct[1]) / 100 : value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(n) || n < 0 || (!allowOverOne && n > 1) || (!allowZero && n === 0)) {
      const range = allowOverOne ? '' : ' 0..1';
      throw new InvalidArgumentError(
        `${flag} must be a fraction${range} or a percentage (0.05 or 5%), got "${value}"`,
      );
    }
    return n;
  };

/** A duration ("30s", "2m", "1m30s", or seconds) in seconds: more than 0, or also 0 with `allowZero`. */
export const durationArg =
  (flag: string, { allowZero = false } = {}) =>
  (value: string): number => {
    const sec = durationSecOf(value, { allowZero });
    if (sec === undefined)
      throw new InvalidArgumentError(
        `${flag} "${value}" is not a duration (try 30s, 2m, 1m30s${allowZero ? ', 0' : ''})`,
      );
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
/** `--ca <file>`, shared by run and url: a test target's own CA. */
export const caOption = (): Option =>
  new Option(
    '--ca <file>',
    "trust the certificates of this PEM file besides Node's roots, for https:// and wss:// (a test target's own CA; overrides the scenario's http.ca)",
  );

/** `--insecure`, shared by run and url. */
export const insecureOption = (): Option =>
  new Option(
    '--insecure',
    'accept any TLS certificate, unverified (a test target only; said in the output and recorded in summary.json)',
  );

/** The loud line a run with `--insecure` starts with. */
export const INSECURE_WARNING =
  'WARNING: --insecure: TLS certificates are NOT verified (https://, wss://); use it against a test target only\n';

/** `--http-client undici|lean`, shared by run and url (the default is resolveRun's). */
export const httpClientOption = (): Option =>
  new Option(
    '--http-client <kind>',
    "HTTP client: lean (loadgen's own HTTP/1.1 client, http:// only, less CPU and memory per user) or undici [default: lean for http://, undici for https://]",
  ).choices(HTTP_CLIENT_KINDS);
