import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabState } from '../../src/local/lab-state.js';
import { defaultApiHost, startLocalLab, stopLocalLab } from '../../src/local/local-lab.js';

export interface TestLab {
  state: LabState;
  dir: string;
  stop(): Promise<void>;
}

/**
 * A local lab in a temporary folder on free ports (none of the usual ones, so a lab the
 * developer runs is left alone), scraping every second. BCRYPT_COST 4 keeps registrations cheap.
 */
export async function startTestLab(env: NodeJS.ProcessEnv = {}): Promise<TestLab> {
  const dir = await mkdtemp(join(tmpdir(), 'lab-test-'));
  const lines: string[] = [];
  try {
    const state = await startLocalLab({
      dir,
      scrapeInterval: '1s',
      ports: { api: 0, prometheus: 0, loadgenMetrics: 0 },
      apiHost: defaultApiHost,
      env: { BCRYPT_COST: '4', LOG_LEVEL: 'warn', ...env },
      log: (l) => lines.push(l),
    });
    return {
      state,
      dir,
      stop: async () => {
        await stopLocalLab(dir, true);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${lines.join('\n')}`, { cause: err });
  }
}
