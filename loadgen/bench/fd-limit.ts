// Thousands of sockets are as many file descriptors in the client and in the target: the
// benchmarks that hold them start both under a raised open-file limit.
import { execFileSync } from 'node:child_process';

/** `ulimit -n 65536`, or the hard limit when that is lower. */
const RAISE_FD_LIMIT = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"';

/** `argv` run by a shell that raised the open-file limit first. */
export const withFdLimit = (argv: string[]): string[] => [
  'sh',
  '-c',
  `${RAISE_FD_LIMIT}; exec "$@"`,
  'sh',
  ...argv,
];

/**
 * The open-file limit a raised shell gets, or undefined (after saying why) when it cannot hold
 * `sockets` plus 1,024 for everything else.
 */
export function fdLimitFor(sockets: number, what: string): string | undefined {
  const limit = execFileSync('sh', ['-c', `${RAISE_FD_LIMIT}; ulimit -n`], { encoding: 'utf8' }).trim();
  if (limit !== 'unlimited' && Number(limit) < sockets + 1024) {
    console.log(`${what}: skipped, the open-file limit can only reach ${limit} (needs ${sockets + 1024})`);
    return undefined;
  }
  return limit;
}
