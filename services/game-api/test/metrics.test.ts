import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPlayer, PASSWORD, playSession } from './helpers/players.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('GET /metrics', () => {
  it('counts requests by route template, method and status, never by raw path', async () => {
    const p = await newPlayer(t.app);
    const sessionId = await playSession(t.app, p, [3, 4]);
    await request(t.app).get('/api/does-not-exist').expect(404);
    await request(t.app).get('/livez').expect(200);
    const text = (await request(t.app).get('/metrics').expect(200)).text;

    const count = (method: string, route: string, status: number) => {
      const line = text
        .split('\n')
        .find((l) =>
          l.startsWith(
            `http_server_request_duration_seconds_count{http_request_method="${method}",http_route="${route}",http_response_status_code="${status}"}`,
          ),
        );
      return line ? Number(line.split(' ').pop()) : 0;
    };
    expect(count('POST', '/api/users', 201)).toBe(1);
    expect(count('POST', '/api/login', 200)).toBe(1);
    expect(count('POST', '/api/sessions', 201)).toBe(1);
    expect(count('POST', '/api/sessions/:id/score', 200)).toBe(2);
    expect(count('POST', '/api/sessions/:id/end', 200)).toBe(1);
    expect(count('GET', 'unmatched', 404)).toBe(1);
    expect(text).not.toContain(`/api/sessions/${sessionId}`);
    expect(text).not.toContain('does-not-exist');
    expect(text).not.toContain('http_route="/livez"');
    // semconv buckets, in seconds
    expect(text).toContain('le="0.005"');
    expect(text).toContain('le="10"');
    for (const name of [
      'game_api_fault_delay_ms',
      'game_api_db_pool_connections{state="in_use"}',
      'game_api_db_pool_connections{state="waiting"}',
      'game_api_db_acquire_timeouts_total 0',
      'game_api_cache_requests_total',
      'nodejs_eventloop_lag_seconds',
      'process_cpu_seconds_total',
    ]) {
      expect(text).toContain(name);
    }
    // A failed login is measured under its route too.
    await request(t.app)
      .post('/api/login')
      .send({ username: p.username, password: `${PASSWORD}x` })
      .expect(401);
    expect((await request(t.app).get('/metrics')).text).toContain(
      'http_server_request_duration_seconds_count{http_request_method="POST",http_route="/api/login",http_response_status_code="401"} 1',
    );
  });
});

describe('game_api_build_info', () => {
  it("says which build answers: the package's version and the revision it was built from", async () => {
    const text = (await request(t.app).get('/metrics').expect(200)).text;
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
    // No BUILD_REVISION in the tests' environment: the revision is unknown, not made up.
    expect(text).toContain(`game_api_build_info{version="${version}",revision="unknown"} 1`);
  });
});

describe('logs', () => {
  it('never contain passwords, tokens or secrets', async () => {
    const secretPassword = 'very-secret-password-123';
    const p = await newPlayer(t.app);
    await request(t.app)
      .post('/api/users')
      .send({ username: `${p.username}x`, password: secretPassword })
      .expect(201);
    await request(t.app)
      .post('/api/login')
      .send({ username: p.username, password: secretPassword })
      .expect(401);
    const login = await request(t.app)
      .post('/api/login')
      .send({ username: `${p.username}x`, password: secretPassword });
    await request(t.app).get('/api/me').set('Authorization', `Bearer ${login.body.token}`).expect(200);
    await request(t.app).get('/api/me').set('Authorization', 'Bearer forged.token.value').expect(401);
    await request(t.app)
      .post('/api/users')
      .set('Content-Type', 'application/json')
      .send(`{"password":"${secretPassword}"`);
    // Logging is at trace level here, so every request produced a line.
    expect(t.logs.lines.length).toBeGreaterThan(5);
    const all = t.logs.lines.join('\n');
    for (const needle of [
      secretPassword,
      PASSWORD,
      login.body.token,
      'forged.token.value',
      'test-secret-that-is-long',
    ]) {
      expect(all).not.toContain(needle);
    }
  });
});
