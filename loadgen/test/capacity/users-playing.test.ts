import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planCapacity } from '../../src/capacity/capacity-plan.js';
import type { Summary } from '../../src/model/summary-schema.js';
import { capacitySection } from '../../src/report/capacity-section.js';
import { formatCapacity } from '../../src/terminal/format-capacity.js';
import { gameApiForSuite } from '../helpers/game-api.js';
import { runFile } from '../helpers/scenarios.js';
import { knownStepRun } from '../report/helpers/step-run.js';

/** A step is labelled with the users who were playing, beside those scheduled. */

describe('capacity counts the users in their loop (a known step run)', () => {
  it('shows both figures, marks the step that never reached its level, and says why', () => {
    const r = planCapacity(knownStepRun({ setupLag: true }));
    expect(r.steps.map((s) => [s.users, s.loopUsers])).toEqual([
      [20, 20],
      [40, 40],
      [60, 60],
      [100, 70],
    ]);
    expect(r.unreached).toEqual([3]);
    expect(r.setupFinding).toBe(
      "Setup could not keep up: the 100-user step never reached its level, at most 70 of 100 users finished their setup and played. Its figures are those of the users playing; the shortfall is a finding about the capacity of the users' setup, not of the loop they play.",
    );
    const text = formatCapacity(r);
    expect(text).toMatch(
      /^\s*100\s+70\s+300\s.*✗ p95 9\d\d(\.\d+)? ms > SLA 500 ms; ⚠ setup could not keep up$/m,
    );
    expect(text).toMatch(/^\s*60\s+60\s+300\s.*← knee$/m);
    expect(text).toContain(r.setupFinding as string);
    const html = capacitySection(r);
    expect(html).toContain('<th title="users whose setup had finished: in their loop">playing</th>');
    expect(html).toContain('<td class="short">70</td>');
  });

  it('a summary that does not count them keeps the scheduled users, and says so', () => {
    const r = planCapacity(knownStepRun());
    expect(r.steps.every((s) => s.loopUsers === null)).toBe(true);
    expect(r.unreached).toEqual([]);
    expect(r.setupFinding).toBeNull();
    expect(r.plan?.perUserRps).toBe(0.5);
    expect(r.assumptions.join('\n')).toContain('per scheduled user');
  });
});

/** The game step preset's shape, short (test/fixtures/game-step-short.ts). */
const STEP_SHORT = join(import.meta.dirname, '..', 'fixtures', 'game-step-short.ts');

describe('a step run against game-api whose setup cannot keep up', () => {
  // One hash worker at bcrypt cost 12 (346 ms a hash on this machine, bcryptjs): registering and
  // logging in 19 players at once queues about 13 s of hashing, and the step lasts 5 s.
  const api = gameApiForSuite({ BCRYPT_COST: '12', HASH_WORKERS: '1' });
  let summary: Summary;

  beforeAll(async () => {
    summary = await runFile(STEP_SHORT, { target: api.url, testid: 'step-short' });
    // Kept for a person to re-run `loadgen capacity` on when this test fails.
    const artifacts = join(import.meta.dirname, '..', '..', 'test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'capacity-step-short.json'), JSON.stringify(summary));
  }, 60_000);

  it('counts per window the users in their loop, never more than the active users', () => {
    expect(summary.timeSeries.length).toBeGreaterThanOrEqual(10);
    for (const w of summary.timeSeries) {
      expect(w.loopUsers).toBeDefined();
      expect(w.loopUsers as number).toBeLessThanOrEqual(w.activeUsers);
    }
    // Every user in the loop at the end logged in (once: its token stays valid in 10 s).
    const logins = summary.endpoints.find((e) => e.endpoint === 'POST /api/login')?.statusCounts['200'] ?? 0;
    expect(summary.timeSeries.at(-1)?.loopUsers).toBeLessThanOrEqual(logins);
  });

  it('labels the 20-player step with the players who were playing, and blames the setup', () => {
    const r = planCapacity(summary);
    const [first, second] = r.steps;
    expect([first?.users, first?.loopUsers]).toEqual([1, 1]);
    expect(second?.users).toBe(20);
    expect(second?.loopUsers).toBeGreaterThanOrEqual(1);
    expect(second?.loopUsers).toBeLessThan(20);
    expect(r.unreached).toEqual([1]);
    expect(r.setupFinding).toMatch(
      new RegExp(
        `^Setup could not keep up: the 20-user step never reached its level, at most ${second?.loopUsers} of 20 users finished their setup and played\\..*capacity of the users' setup \\(POST /api/login, POST /api/users\\), not of the loop they play\\.$`,
      ),
    );
    const text = formatCapacity(r);
    expect(text).toMatch(
      // A loaded machine may mark the step's windows as the generator's own saturation as well.
      new RegExp(
        `^\\s*20\\s+${second?.loopUsers}\\s+\\d+\\s.*⚠ setup could not keep up(; \\(generator saturated\\))?$`,
        'm',
      ),
    );
    // The per-player pace is the first step's req/s over its users playing, not scheduled.
    expect(r.plan?.perUserRps).toBeCloseTo((first?.rps ?? 0) / (first?.meanLoopUsers ?? 1), 6);
  });
});
