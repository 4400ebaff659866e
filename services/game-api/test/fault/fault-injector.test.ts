import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FaultInjector } from '../../src/fault/fault-injector.js';
import { newPlayer, type Player } from '../helpers/players.js';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../helpers/test-app.js';

const DELAY = 400;

/**
 * Follows the fault's delays by its events: `started(n)` resolves once n delays hold what they
 * hold (a pool connection in db mode), `running` is how many have started and not ended.
 */
function watchDelays(fault: FaultInjector) {
  let started = 0;
  let running = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const onStart = () => {
    started++;
    running++;
    for (const w of waiters.filter((w) => started >= w.n)) w.resolve();
  };
  const onEnd = () => {
    running--;
  };
  fault.on('delay-start', onStart);
  fault.on('delay-end', onEnd);
  return {
    started: (n: number) =>
      new Promise<void>((resolve) => {
        if (started >= n) resolve();
        else waiters.push({ n, resolve });
      }),
    get count() {
      return started;
    },
    get running() {
      return running;
    },
    stop() {
      fault.off('delay-start', onStart);
      fault.off('delay-end', onEnd);
    },
  };
}

/** Sends now (supertest sends on then()). */
const send = (req: request.Test) => req.then((r) => r);

async function timed(run: () => PromiseLike<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

describe('fault toggle, app mode', () => {
  let t: TestApp;
  let p: Player;
  beforeAll(async () => {
    t = await createTestApp({ fault: { delayMs: DELAY, route: 'GET /api/users', mode: 'app' } });
    p = await newPlayer(t.app);
  });
  afterAll(() => t.close());

  it('slows the target route by at least the delay and leaves the others alone', async () => {
    const delays = watchDelays(t.deps.fault);
    const started = performance.now();
    const slow = send(request(t.app).get('/api/users').set(p.auth));
    await delays.started(1);
    // Another route answers while the target's delay is still running, and is not delayed itself.
    await request(t.app).get('/api/me').set(p.auth).expect(200);
    expect(delays.running).toBe(1);
    expect(delays.count).toBe(1);
    expect((await slow).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(DELAY);
    delays.stop();
  });

  it('shows the fault in game_api_fault_delay_ms', async () => {
    const metrics = await request(t.app).get('/metrics').expect(200);
    expect(metrics.text).toContain(`game_api_fault_delay_ms{route="GET /api/users",mode="app"} ${DELAY}`);
  });
});

describe('fault toggle, db mode with a small pool', () => {
  let t: TestApp;
  let p: Player;
  beforeAll(async () => {
    t = await createTestApp({
      dbPoolSize: 2,
      fault: { delayMs: DELAY, route: 'GET /api/users', mode: 'db' },
    });
    p = await newPlayer(t.app);
  });
  afterAll(() => t.close());

  it('holds pool connections inside MySQL, so other routes queue behind the slow one', async () => {
    // Two slow requests take both connections for DELAY ms; a session start must wait for one.
    const delays = watchDelays(t.deps.fault);
    const slow = [1, 2].map(() => send(request(t.app).get('/api/users').set(p.auth)));
    await delays.started(2); // both connections are held inside SELECT SLEEP
    let runningWhenQueued = -1;
    const enqueued = new Promise<void>((resolve) =>
      t.database.poolEvents.once('enqueue', () => {
        runningWhenQueued = delays.running;
        resolve();
      }),
    );
    const queued = timed(() => request(t.app).post('/api/sessions').set(p.auth).expect(201));
    await enqueued;
    expect(runningWhenQueued).toBe(2); // it waited for a connection the slow ones held
    const results = await Promise.all(slow);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(await queued).toBeGreaterThanOrEqual(DELAY * 0.75);
    delays.stop();
  });

  it('in app mode the same load does not queue the other route', async () => {
    // Longer than elsewhere: the assertion is that the other route answers while these still run.
    t.deps.fault.set({ delayMs: DELAY * 4, route: 'GET /api/users', mode: 'app' }, 'test');
    const delays = watchDelays(t.deps.fault);
    let enqueued = 0;
    const onEnqueue = () => enqueued++;
    t.database.poolEvents.on('enqueue', onEnqueue);
    const slow = [1, 2].map(() => send(request(t.app).get('/api/users').set(p.auth)));
    await delays.started(2);
    await request(t.app).post('/api/sessions').set(p.auth).expect(201);
    // Answered while both delays still ran, without ever waiting for a pool connection.
    expect(delays.running).toBe(2);
    expect(enqueued).toBe(0);
    await Promise.all(slow);
    t.database.poolEvents.off('enqueue', onEnqueue);
    delays.stop();
  });
});

describe('PUT /admin/fault', () => {
  let t: TestApp;
  let p: Player;
  beforeAll(async () => {
    t = await createTestApp();
    p = await newPlayer(t.app);
  });
  afterEach(() => t.deps.fault.set({ delayMs: 0, route: 'GET /api/users', mode: 'app' }, 'test reset'));
  afterAll(() => t.close());

  it('turns the fault on and off at runtime, logged and visible in the gauge', async () => {
    const on = await request(t.app)
      .put('/admin/fault')
      .set('X-Admin-Token', TEST_ADMIN_TOKEN)
      .send({ delayMs: DELAY, route: 'GET /api/leaderboard' })
      .expect(200);
    expect(on.body).toEqual({ delayMs: DELAY, route: 'GET /api/leaderboard', mode: 'app' });
    expect(
      await timed(() => request(t.app).get('/api/leaderboard').set(p.auth).expect(200)),
    ).toBeGreaterThanOrEqual(DELAY);
    const metrics = await request(t.app).get('/metrics');
    expect(metrics.text).toContain(
      `game_api_fault_delay_ms{route="GET /api/leaderboard",mode="app"} ${DELAY}`,
    );
    expect(
      t.logs.lines.some((l) => l.includes('"msg":"fault injected"') && l.includes('GET /api/leaderboard')),
    ).toBe(true);

    const state = await request(t.app).get('/admin/fault').set('X-Admin-Token', TEST_ADMIN_TOKEN).expect(200);
    expect(state.body.routes).toContain('GET /api/users');
    await request(t.app)
      .put('/admin/fault')
      .set('X-Admin-Token', TEST_ADMIN_TOKEN)
      .send({ delayMs: 0 })
      .expect(200);
    const delays = watchDelays(t.deps.fault);
    await request(t.app).get('/api/leaderboard').set(p.auth).expect(200);
    expect(delays.count).toBe(0);
    delays.stop();
    expect(t.logs.lines.some((l) => l.includes('"msg":"fault cleared"'))).toBe(true);
  });

  it('refuses a missing or wrong token and changes nothing', async () => {
    for (const headers of [
      {},
      { 'X-Admin-Token': 'wrong-token-wrong-token' },
      { 'X-Admin-Token': `${TEST_ADMIN_TOKEN}x` },
    ]) {
      const res = await request(t.app).put('/admin/fault').set(headers).send({ delayMs: 5000 });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
      await request(t.app).get('/admin/fault').set(headers).expect(401);
    }
    expect(t.deps.fault.current.delayMs).toBe(0);
  });

  it('refuses an unknown route, a bad mode and a negative delay', async () => {
    for (const body of [
      { delayMs: 10, route: 'GET /nowhere' },
      { delayMs: 10, mode: 'disk' },
      { delayMs: -1 },
      {},
    ]) {
      const res = await request(t.app).put('/admin/fault').set('X-Admin-Token', TEST_ADMIN_TOKEN).send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect(t.deps.fault.current.delayMs).toBe(0);
  });

  it('does not exist without ADMIN_TOKEN', async () => {
    const closed = await createTestApp({ adminToken: undefined });
    try {
      const res = await request(closed.app)
        .put('/admin/fault')
        .set('X-Admin-Token', TEST_ADMIN_TOKEN)
        .send({ delayMs: 1 });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    } finally {
      await closed.close();
    }
  });
});
