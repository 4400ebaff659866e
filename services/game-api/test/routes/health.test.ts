import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('probes', () => {
  it('GET /livez answers without checking dependencies', async () => {
    expect((await request(t.app).get('/livez').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('GET /readyz reports MySQL and Redis', async () => {
    const res = await request(t.app).get('/readyz').expect(200);
    expect(res.body).toEqual({ status: 'ready', checks: { mysql: 'up', redis: 'up' } });
  });

  it('GET /readyz answers 503 when MySQL is unreachable, while /livez stays up', async () => {
    // Port 9 (discard) has no MySQL: a real connection failure, not a stub.
    const broken = await createTestApp({
      mysqlUrl: 'mysql://root@127.0.0.1:9/nothing',
      unreachableMysql: true,
    });
    try {
      const res = await request(broken.app).get('/readyz').expect(503);
      expect(res.body).toEqual({ status: 'unavailable', checks: { mysql: 'down', redis: 'up' } });
      await request(broken.app).get('/livez').expect(200);
    } finally {
      await broken.close();
    }
  });
});
