import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** What `app.use(helmet())` sends, from a real Express app with helmet mounted the usual way. */
async function helmetHeaders(): Promise<Record<string, string>> {
  const reference = express();
  reference.use(helmet());
  reference.get('/x', (_req, res) => {
    res.json({});
  });
  const res = await request(reference).get('/x').expect(200);
  const names = Object.keys(res.headers).filter(
    (h) => !['content-type', 'content-length', 'etag', 'date', 'connection', 'keep-alive'].includes(h),
  );
  expect(names.length).toBeGreaterThan(8);
  return Object.fromEntries(names.map((h) => [h, res.headers[h] as string]));
}

describe("helmet's security headers", () => {
  it('are on every response, the same as app.use(helmet()) sends, and X-Powered-By is not', async () => {
    const expected = await helmetHeaders();
    const register = await request(t.app)
      .post('/api/users')
      .send({ username: `sec_${Date.now()}`, password: 'password-123' })
      .expect(201);
    for (const res of [
      register,
      await request(t.app).get('/livez').expect(200),
      await request(t.app).get('/api/me').expect(401),
      await request(t.app).get('/no/such/route').expect(404),
    ]) {
      expect(res.headers).toMatchObject(expected);
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });
});
