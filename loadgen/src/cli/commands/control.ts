import type { Command } from 'commander';
import { LoadgenError } from '../../errors.js';
import { steeringLabel } from '../../model/steering-label.js';
import type { SteeringChange } from '../../model/timeline-schema.js';
import type { SteeringStatus } from '../../run/run-controller.js';
import type { SteeringRequest } from '../../run/steering-request.js';
import { type CliContext, intArg, nonNegativeArg, positiveArg } from '../cli-context.js';

interface ControlFlags {
  users?: number;
  spawnRate?: number;
  rate?: number;
  stop?: boolean;
  token?: string;
}

/** The change the flags ask for; none = only show the run's state. */
function requestOf(flags: ControlFlags): SteeringRequest | undefined {
  const asked = [flags.users !== undefined, flags.rate !== undefined, flags.stop === true].filter(Boolean);
  if (asked.length > 1)
    throw new LoadgenError('LG_USAGE', 'give one of --users (with --spawn-rate), --rate or --stop');
  if (flags.spawnRate !== undefined && flags.users === undefined)
    throw new LoadgenError('LG_USAGE', '--spawn-rate goes with --users: e.g. --users 50 --spawn-rate 5');
  if (flags.stop === true) return { stop: true };
  if (flags.rate !== undefined) return { rate: flags.rate };
  if (flags.users !== undefined)
    return { users: flags.users, ...(flags.spawnRate === undefined ? {} : { spawnRate: flags.spawnRate }) };
  return undefined;
}

function describeChange(c: SteeringChange): string {
  if (c.action === 'stop') return `${steeringLabel(c)} at ${c.t} s: the run writes its summary and exits 130`;
  return `${steeringLabel(c)} from ${c.t} s`;
}

function describeStatus(s: SteeringStatus): string {
  const what =
    s.model === undefined
      ? ''
      : s.model === 'closed'
        ? `, closed model: ${s.target} users at ${s.spawnRate}/s`
        : `, open model: ${s.target} it/s`;
  const segment =
    s.segment !== undefined && s.segment.count > 1 ? `, segment ${s.segment.index}/${s.segment.count}` : '';
  return `${s.phase}${what}${segment}, ${s.timeline.length} change(s) so far`;
}

/** `loadgen control <url>`: steer a run that serves a dashboard (k6 scale's counterpart). */
export function registerControlCommand(program: Command, ctx: CliContext): void {
  program
    .command('control')
    .description(
      "steer a running run through its dashboard: set the closed model's users, the open model's rate, or stop it",
    )
    .argument('<url>', 'the dashboard URL the run printed (with ?token=... when it has one)')
    .option('-u, --users <n>', 'closed model: users of the whole run from now on', intArg('--users'))
    .option(
      '-r, --spawn-rate <n>',
      'closed model: users started per second to get there',
      positiveArg('--spawn-rate'),
    )
    .option(
      '--rate <n>',
      'open model: iterations per second of the whole run from now on',
      nonNegativeArg('--rate'),
    )
    .option('--stop', 'stop the run as Ctrl-C does (summary written, exit 130)')
    .option(
      '--token <token>',
      'the token of a dashboard off loopback (env LOADGEN_DASHBOARD_TOKEN; or ?token= in the URL)',
    )
    .addHelpText(
      'after',
      `
Without a change, prints the run's state. A change replaces what is left of the profile with a
constant at the new value. In a segmented run each process has its own dashboard: steer each one.
Exit codes: 0 done, 2 refused (a bad value, a change the run's model does not take, a missing token), 3 no dashboard there.

Examples:
  $ loadgen control http://127.0.0.1:5665/ --users 50 --spawn-rate 10
  $ loadgen control http://127.0.0.1:5665/ --rate 200
  $ loadgen control 'http://10.0.0.5:5665/?token=...' --stop`,
    )
    .action(async (rawUrl: string, flags: ControlFlags) => {
      let url: URL;
      try {
        url = new URL(rawUrl);
      } catch {
        throw new LoadgenError('LG_USAGE', `"${rawUrl}" is not a URL (the dashboard URL the run printed)`);
      }
      const token = flags.token ?? url.searchParams.get('token') ?? ctx.env.dashboardToken;
      const request = requestOf(flags);
      const call = async (path: string, body?: SteeringRequest) => {
        const target = new URL(path, url.origin);
        try {
          const res = await fetch(target, {
            method: body === undefined ? 'GET' : 'POST',
            headers: {
              'x-loadgen-source': 'cli',
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
              ...(token === undefined || token === '' ? {} : { authorization: `Bearer ${token}` }),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            signal: AbortSignal.timeout(10_000),
          });
          const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
          if (!res.ok) {
            throw new LoadgenError(
              'LG_USAGE',
              `${target.pathname}: ${res.status} ${String(answer.error ?? res.statusText)}`,
            );
          }
          return answer;
        } catch (error) {
          if (error instanceof LoadgenError) throw error;
          throw new LoadgenError(
            'LG_TARGET_UNREACHABLE',
            `no dashboard answers at ${url.origin} (${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}): is the run still going with --dashboard?`,
          );
        }
      };
      if (request === undefined) {
        const state = await call('/api/state');
        ctx.stdout.write(`${describeStatus(state.status as SteeringStatus)}\n`);
        return;
      }
      const answer = await call('/api/control', request);
      ctx.stdout.write(`${describeChange(answer.change as SteeringChange)}\n`);
    });
}
