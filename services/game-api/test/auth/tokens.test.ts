import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/auth/token-service.js';
import { newPlayer, type Player } from '../helpers/players.js';
import { createTestApp, TEST_SECRET, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let player: Player;
beforeAll(async () => {
  t = await createTestApp();
  player = await newPlayer(t.app);
});
afterAll(() => t.close());

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Right secret, right algorithm, one hour to live: only the claims given differ. */
const sign = (payload: object) => jwt.sign(payload, TEST_SECRET, { algorithm: 'HS256', expiresIn: 3600 });

function tokens() {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: String(player.id), name: player.username };
  const [header, payload, signature] = player.token.split('.') as [string, string, string];
  const forged = b64({ ...claims, sub: '1', iat: now, exp: now + 3600 });
  return {
    missing: undefined,
    'not a bearer token': `Basic ${Buffer.from('a:b').toString('base64')}`,
    garbage: 'Bearer not.a.jwt',
    expired: `Bearer ${jwt.sign({ ...claims, iat: now - 7200, exp: now - 3600 }, TEST_SECRET, { algorithm: 'HS256' })}`,
    'tampered payload': `Bearer ${header}.${forged}.${signature}`,
    'tampered signature': `Bearer ${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('A') ? 'B' : 'A'}A`,
    'alg none': `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iat: now, exp: now + 3600 })}.`,
    'signed with another secret': `Bearer ${jwt.sign(claims, 'another-secret-that-is-long-enough-000', { algorithm: 'HS256', expiresIn: 60 })}`,
    'HS512 with the right secret': `Bearer ${jwt.sign(claims, TEST_SECRET, { algorithm: 'HS512', expiresIn: 60 })}`,
    'another audience': `Bearer ${sign({ ...claims, iss: TOKEN_ISSUER, aud: 'another-service' })}`,
    'another issuer': `Bearer ${sign({ ...claims, iss: 'someone-else', aud: TOKEN_AUDIENCE })}`,
    'no audience': `Bearer ${sign({ ...claims, iss: TOKEN_ISSUER })}`,
    'no issuer': `Bearer ${sign({ ...claims, aud: TOKEN_AUDIENCE })}`,
    'correctly signed, no expiry': (() => {
      const h = b64({ alg: 'HS256', typ: 'JWT' });
      const p = b64({ sub: String(player.id), name: player.username, iat: now });
      const s = createHmac('sha256', TEST_SECRET).update(`${h}.${p}`).digest('base64url');
      return `Bearer ${h}.${p}.${s}`;
    })(),
  };
}

describe('bearer tokens', () => {
  it('accepts the token from login, which names its issuer and audience', async () => {
    await request(t.app).get('/api/me').set(player.auth).expect(200);
    expect(jwt.decode(player.token)).toMatchObject({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE });
    const claims = { sub: String(player.id), name: player.username, iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE };
    await request(t.app)
      .get('/api/me')
      .set('Authorization', `Bearer ${sign(claims)}`)
      .expect(200);
  });

  const routes: [string, string][] = [
    ['get', '/api/me'],
    ['get', '/api/users'],
    ['get', '/api/leaderboard'],
    ['post', '/api/sessions'],
    ['post', '/api/sessions/1/score'],
    ['post', '/api/sessions/1/end'],
  ];

  it('refuses missing, expired, tampered, alg:none and foreign tokens on every protected route', async () => {
    for (const [name, header] of Object.entries(tokens())) {
      for (const [method, path] of routes) {
        const req = request(t.app)[method as 'get' | 'post'](path);
        if (header) req.set('Authorization', header);
        const res = await req;
        expect(res.status, `${name} ${method} ${path}`).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
        expect(res.headers['www-authenticate']).toBe('Bearer');
      }
    }
  });
});
