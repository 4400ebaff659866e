import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatZodError, scenarioOptionsSchema } from '../../src/api/options-schema.js';
import { MYSQL_REDISOPS_SHAPE_RESOURCES } from '../../src/api/resources-schema.js';
import { planCapacity } from '../../src/capacity/capacity-plan.js';
import { readSummaryFile } from '../../src/model/summary-files.js';
import { loadScenario } from '../../src/scenario/scenario-loader.js';
import { formatCapacity } from '../../src/terminal/format-capacity.js';
import { knownStepRun } from '../report/helpers/step-run.js';

/** Resources are named by the scenario; the old { mysql, redisOps } shape still reads. */

const dir = mkdtempSync(join(tmpdir(), 'loadgen-resources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const model = { type: 'closed', users: 1 } as const;
const serverOf = (server: unknown) => scenarioOptionsSchema.safeParse({ model, server });
const errorOf = (server: unknown): string => {
  const r = serverOf(server);
  if (r.success) throw new Error('expected the options to be refused');
  return formatZodError(r.error);
};

/** The old per-endpoint table game-api's adapter had, as an old script or summary holds it. */
const OLD_TABLE = {
  'GET /api/users': { mysql: true, redisOps: 0 },
  'GET /api/leaderboard': { mysql: false, redisOps: 5 },
  'POST /api/login': { mysql: true, redisOps: 5 },
};

describe('named resources and per-endpoint costs in a scenario', () => {
  it('takes any resource names with their kind and per-machine figure', () => {
    const r = serverOf({
      resources: { db: { kind: 'pool', perMachine: 20 }, queue: { kind: 'ops', label: 'Kafka messages' } },
      costs: { 'POST /orders': { db: 2, queue: 3 } },
    });
    expect(r.success && r.data.server).toEqual({
      resources: { db: { kind: 'pool', perMachine: 20 }, queue: { kind: 'ops', label: 'Kafka messages' } },
      costs: { 'POST /orders': { db: 2, queue: 3 } },
    });
  });

  it('still accepts the old { mysql, redisOps } table, read as resources mysql and redis', () => {
    const r = serverOf({ faultGauge: 'g', resources: OLD_TABLE });
    expect(r.success && r.data.server).toEqual({
      faultGauge: 'g',
      resources: MYSQL_REDISOPS_SHAPE_RESOURCES,
      costs: {
        'GET /api/users': { mysql: 1, redis: 0 },
        'GET /api/leaderboard': { mysql: 0, redis: 5 },
        'POST /api/login': { mysql: 1, redis: 5 },
      },
    });
  });

  it('refuses, naming the field: a cost in an undeclared resource, a bad kind, a broken old table', () => {
    expect(errorOf({ resources: { db: { kind: 'pool' } }, costs: { 'GET /a': { db: 1, cache: 2 } } })).toBe(
      'server.costs.GET /a.cache: no resource "cache" in server.resources (declared: db): declare it, e.g. cache: { kind: "ops" }',
    );
    expect(errorOf({ resources: { db: { kind: 'queue' } } })).toMatch(
      /^server\.resources\.db\.kind: Invalid option: expected one of "pool"\|"ops"/,
    );
    expect(errorOf({ resources: { 'GET /a': { mysql: 'yes', redisOps: 1 } } })).toBe(
      'server.resources.GET /a.mysql: Invalid input: expected boolean, received string',
    );
    expect(errorOf({ resources: OLD_TABLE, costs: {} })).toMatch(
      /^server\.resources: the old per-endpoint shape \(\{ mysql, redisOps \}\) does not go with costs/,
    );
  });

  it('a JSON scenario declares them in the same words', async () => {
    const file = join(dir, 'shop.json');
    writeFileSync(
      file,
      JSON.stringify({
        steps: [{ request: 'GET /a' }],
        model,
        server: { resources: { db: { kind: 'pool' } }, costs: { 'GET /a': { db: 1 } } },
      }),
    );
    expect((await loadScenario(file)).options.server.costs).toEqual({ 'GET /a': { db: 1 } });
  });
});

describe('the capacity plan over declared resources', () => {
  it('sizes each resource and counts its machines, in the terminal as in JSON', () => {
    const r = planCapacity(knownStepRun());
    const text = formatCapacity(r);
    const mysql = r.plan?.resources[0];
    expect(text).toContain(
      `  MySQL connections ${Math.ceil(mysql?.total ?? 0).toLocaleString('en-US')} at once, ${Math.ceil(mysql?.perInstance ?? 0)} per API instance; ${mysql?.machines} machines of 151`,
    );
    expect(text).toMatch(/^ {2}Redis commands {4}1,785,715\/s; 18 machines of 100,000\/s$/m);
    expect(r.assumptions).toContain(
      'costs per request in MySQL connections, Redis commands from the scenario (options.server.costs); an endpoint it does not list costs 1 MySQL connections',
    );
  });

  it('plans the API instances only when the scenario declared no resources', () => {
    const run = knownStepRun();
    delete run.run.resources;
    delete run.run.costs;
    const r = planCapacity(run);
    expect(r.plan?.resources).toEqual([]);
    expect(r.plan?.apiInstances).toBe(23_810);
    expect(formatCapacity(r)).not.toMatch(/MySQL|Redis/);
    expect(r.assumptions).toContain(
      'the scenario declared no resources behind the target (options.server.resources): the plan sizes the API instances only',
    );
  });

  it('reads a version 2 summary with the old table and plans as the named form does', () => {
    const v3 = knownStepRun();
    const old: Record<string, unknown> = JSON.parse(JSON.stringify(v3));
    const run = old.run as Record<string, unknown>;
    old.schemaVersion = 2;
    delete run.callPattern;
    delete run.costs;
    run.resources = OLD_TABLE;
    const file = join(dir, 'step-v2.json');
    writeFileSync(file, JSON.stringify(old));
    const read = readSummaryFile(file);
    expect(read.run.resources).toEqual(MYSQL_REDISOPS_SHAPE_RESOURCES);
    expect(read.run.costs?.['GET /api/leaderboard']).toEqual({ mysql: 0, redis: 5 });
    // The legacy resources have no per-machine figure; the totals are those of the named form.
    const named = planCapacity(v3).plan?.resources.map((n) => [n.name, n.total]);
    expect(planCapacity(read).plan?.resources.map((n) => [n.name, n.total])).toEqual(named);
  });
});
