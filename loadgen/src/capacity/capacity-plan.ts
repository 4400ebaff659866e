import { fmt } from '../model/number-format.js';
import type { Summary } from '../model/summary-schema.js';
import { type ResourceNeed, resourceAssumptions, resourceNeeds } from './resource-needs.js';
import { setupEndpoints } from './resource-profile.js';
import { analyseSteps, type StepRow, steeredAtSec, stepEndpoints } from './step-analysis.js';

interface CapacityOptions {
  /** The p95 SLA in ms; the knee is the last step before p95 crosses it. Default 500. */
  slaP95Ms: number;
  /** The failure rate (0..1) past which a step is over the knee. Default 0.01. */
  maxFailureRate: number;
  /** Target population of players. Default 1,000,000. */
  users: number;
  /** Share of the population playing at the same moment (0..1]. Default 1: all of them. */
  concurrentShare: number;
  /** Spare capacity kept on every resource (0..1): 0.3 = run at most at 70% of the knee. Default 0.3. */
  headroom: number;
  /**
   * Count the endpoints the users called in their setup (register, log in...). Default false:
   * the step run spawns each step's new users at once, so their setup calls arrive as a burst at
   * every step's start and would put the knee where the spawning was, not where steady play
   * saturates the API.
   */
  includeSetup: boolean;
  /** More endpoints left out of the steps' figures. */
  exclude: readonly string[];
}

export const DEFAULT_CAPACITY_OPTIONS: CapacityOptions = {
  slaP95Ms: 500,
  maxFailureRate: 0.01,
  users: 1_000_000,
  concurrentShare: 1,
  headroom: 0.3,
  includeSetup: false,
  exclude: [],
};

interface CapacityPlan {
  /** Players playing at the same moment: users × concurrentShare. */
  activePlayers: number;
  /**
   * Requests per second one player in the loop makes, measured at the lightest step (the pattern's
   * own pace): its req/s ÷ its mean users in the loop (its scheduled users in an older summary).
   */
  perUserRps: number;
  neededRps: number;
  /** Requests per second one API instance sustains within the SLA (the knee step's rate). */
  perInstanceRps: number;
  apiInstances: number;
  /** Little's law: requests in flight across the fleet = neededRps × mean latency at the knee. */
  inFlightRequests: number;
  /** What each resource the scenario declared must provide (none when it declared none). */
  resources: ResourceNeed[];
}

export interface CapacityReport {
  testid: string;
  options: CapacityOptions;
  /** Endpoints left out of the step figures: the setup's (unless includeSetup) and options.exclude. */
  excluded: string[];
  steps: StepRow[];
  /** Index into steps of the knee, or null when even the first step breaks the SLA. */
  knee: number | null;
  /** Index of the first step over the SLA or the failure limit, null when none is. */
  breach: number | null;
  breachReason: string | null;
  /** Steps whose users never all reached their loop: fewer played than scheduled. */
  unreached: number[];
  /** Said when a step never reached its level: setup could not keep up. */
  setupFinding: string | null;
  /** The highest req/s any step reached, and where. */
  saturationRps: number;
  saturationStep: number;
  plan: CapacityPlan | null;
  assumptions: string[];
  /** The run was steered while it went: its steps end at the first change (seconds since start). */
  steered: { atSec: number; changes: number } | null;
  /** The generator saturated (the summary's rule): the steps' latencies may be the client's. */
  generatorSaturated: boolean;
}

function breachOf(row: StepRow, o: CapacityOptions): string | null {
  if (row.p95Ms > o.slaP95Ms) return `p95 ${fmt(row.p95Ms)} ms > SLA ${o.slaP95Ms} ms`;
  if (row.failureRate > o.maxFailureRate) {
    return `failures ${(row.failureRate * 100).toFixed(2)}% > ${(o.maxFailureRate * 100).toFixed(2)}%`;
  }
  return null;
}

/** Users behind a step's figures: the users in the loop when counted, else the scheduled ones. */
const players = (row: StepRow): number => row.meanLoopUsers ?? row.users;

/** The step's users had not all finished their setup: fewer played than the level scheduled. */
const isUnreached = (row: StepRow): boolean => row.loopUsers !== null && row.loopUsers < row.users;

/** `500 users`, or `500 users (176 playing)` when fewer were in their loop. */
export function stepUsers(row: StepRow): string {
  return `${row.users} user${row.users === 1 ? '' : 's'}${isUnreached(row) ? ` (${row.loopUsers} playing)` : ''}`;
}

/** `a`, `a and b`, `a, b and c`. */
const and = (items: string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

function setupFinding(summary: Summary, steps: StepRow[]): string | null {
  const short = steps.filter(isUnreached);
  if (short.length === 0) return null;
  const setup = setupEndpoints(summary);
  const what = setup.length > 0 ? `the users' setup (${setup.join(', ')})` : "the users' setup";
  const one = short.length === 1;
  return `Setup could not keep up: the ${and(short.map((s) => `${s.users}-user`))} step${one ? '' : 's'} never reached ${one ? 'its level' : 'their levels'}, at most ${and(short.map((s) => `${s.loopUsers} of ${s.users}`))} users finished their setup and played. ${one ? 'Its' : 'Their'} figures are those of the users playing; the shortfall is a finding about the capacity of ${what}, not of the loop they play.`;
}

function plan(summary: Summary, steps: StepRow[], knee: StepRow, o: CapacityOptions): CapacityPlan {
  // The lightest step with someone playing sets the pace.
  const pace = steps.find((s) => players(s) > 0) ?? (steps[0] as StepRow);
  const utilisation = 1 - o.headroom;
  const activePlayers = Math.round(o.users * o.concurrentShare);
  const perUserRps = players(pace) === 0 ? 0 : pace.rps / players(pace);
  const neededRps = perUserRps * activePlayers;
  const perInstanceRps = knee.rps;
  const apiInstances = Math.max(1, Math.ceil(neededRps / (perInstanceRps * utilisation)));
  return {
    activePlayers,
    perUserRps,
    neededRps,
    perInstanceRps,
    apiInstances,
    inFlightRequests: neededRps * (knee.meanMs / 1000),
    resources: resourceNeeds(summary, knee, neededRps, apiInstances, utilisation),
  };
}

/** The step table, the knee, the saturation rate and a plan for `options.users` players. */
export function planCapacity(summary: Summary, options: Partial<CapacityOptions> = {}): CapacityReport {
  const o = { ...DEFAULT_CAPACITY_OPTIONS, ...options };
  const exclude = [...(o.includeSetup ? [] : setupEndpoints(summary)), ...o.exclude];
  const steps = analyseSteps(summary, exclude);
  const breach = steps.findIndex((s) => breachOf(s, o) !== null);
  const knee = breach === -1 ? steps.length - 1 : breach - 1;
  const saturationStep = steps.reduce((best, s, i) => (s.rps > (steps[best] as StepRow).rps ? i : best), 0);
  const kneeRow = knee >= 0 ? (steps[knee] as StepRow) : undefined;
  const assumptions = [
    `one API instance performs like the instance measured in ${summary.run.testid}, and instances add up linearly (a load balancer in front, no shared bottleneck besides the resources the scenario declared)`,
    steps.every((s) => s.meanLoopUsers !== null)
      ? "every player follows the scenario's call pattern and think time; its request rate is the lightest step's req/s per user in the loop (setup finished)"
      : "every player follows the scenario's call pattern and think time; its request rate is the lightest step's req/s per scheduled user (this summary does not count the users in their loop)",
    `${Math.round(o.concurrentShare * 100)}% of the ${o.users.toLocaleString('en-US')} players play at the same moment`,
    `headroom ${Math.round(o.headroom * 100)}%: every resource is sized to run at ${Math.round((1 - o.headroom) * 100)}% of what was measured`,
    ...resourceAssumptions(summary),
  ];
  if (summary.totals.requests === 0 && stepEndpoints(summary).length > 0) {
    assumptions.push(
      "no HTTP request in this run: a step's requests, req/s and latency are its custom trends in ms (the operations the script timed with vu.time and vu.record)",
    );
  }
  if (exclude.length > 0) {
    assumptions.push(
      `the steady loop only: ${exclude.join(', ')} (${o.includeSetup ? 'left out as asked' : "the users' setup, once per user, arriving as a burst when each step spawns its users"}) are left out of the step figures`,
    );
  }
  const steeredAt = steeredAtSec(summary);
  if (steeredAt !== undefined) {
    assumptions.push(
      `the run was steered at ${steeredAt} s (dashboard or loadgen control): only the steps before that are read; what followed was no step of the profile`,
    );
  }
  const saturated = summary.generator?.saturated === true;
  if (saturated) {
    assumptions.push(
      "the generator saturated during the run: the steps' latencies include loadgen's own queueing, so the knee may be the client's, not the API's",
    );
  }
  if (breach === -1) {
    assumptions.push(
      `no step crossed the SLA: the knee is the last step, so one instance sustains at least ${kneeRow?.rps} req/s and the plan over-provisions`,
    );
  }
  return {
    testid: summary.run.testid,
    options: o,
    excluded: exclude,
    steps,
    knee: knee >= 0 ? knee : null,
    unreached: steps.flatMap((s, i) => (isUnreached(s) ? [i] : [])),
    setupFinding: setupFinding(summary, steps),
    breach: breach === -1 ? null : breach,
    breachReason: breach === -1 ? null : breachOf(steps[breach] as StepRow, o),
    saturationRps: (steps[saturationStep] as StepRow).rps,
    saturationStep,
    plan: kneeRow === undefined ? null : plan(summary, steps, kneeRow, o),
    assumptions,
    steered: steeredAt === undefined ? null : { atSec: steeredAt, changes: summary.timeline?.length ?? 0 },
    generatorSaturated: saturated,
  };
}
