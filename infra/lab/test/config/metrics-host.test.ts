import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findMetricsHost } from '../../src/config/metrics-host.js';
import { writeLabState } from '../../src/local/lab-state.js';

const scratch = await mkdtemp(join(tmpdir(), 'lab-metrics-host-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A local lab's `.lab` as `lab local up` writes it, with its game-api on 127.0.0.1:8000. */
const labDir = join(scratch, '.lab');
await writeLabState({
  dir: labDir,
  startedAt: new Date().toISOString(),
  processes: [],
  urls: { api: 'http://127.0.0.1:8000', prometheus: 'http://127.0.0.1:9090', loadgenMetrics: '' },
  env: { TARGET_URL: 'http://127.0.0.1:8000', LOADGEN_METRICS_HOST: '127.0.0.1' },
});

const find = (env: NodeJS.ProcessEnv, targetUrl: string, dir = labDir) =>
  findMetricsHost({ env, targetUrl, localLabEnvFile: join(dir, 'env') });

describe('where loadgen serves /metrics in a lab run', () => {
  it('is LOADGEN_METRICS_HOST when the environment sets it', async () => {
    expect(await find({ LOADGEN_METRICS_HOST: '0.0.0.0' }, 'http://localhost:8000')).toBe('0.0.0.0');
  });

  it("is the local lab's loopback for that lab's game-api, though .lab/env was not sourced", async () => {
    expect(await find({}, 'http://localhost:8000')).toBe('127.0.0.1');
  });

  it("is loadgen's default for another game-api, or with no local lab", async () => {
    expect(await find({}, 'http://localhost:8001')).toBeUndefined();
    expect(await find({}, 'http://localhost:8000', join(scratch, 'no-lab'))).toBeUndefined();
  });
});
