import { deflateSync, gzipSync } from 'node:zlib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FreshDatabase, freshDatabase } from '../helpers/fresh-database.js';
import { newPlayer, PASSWORD, type Player } from '../helpers/players.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// A database of this file's own: no other test file writes to it, so the user count after a
// refused request must equal the count before, exactly.
let database: FreshDatabase;
let t: TestApp;
let player: Player;
let other: Player;
beforeAll(async () => {
  database = await freshDatabase();
  t = await createTestApp({ mysqlUrl: database.url });
  [player, other] = await Promise.all([newPlayer(t.app), newPlayer(t.app)]);
});
afterAll(async () => {
  await t.close();
  await database.drop();
});

const usersNamed = async (username: string) =>
  (await t.database.db.selectFrom('users').select('id').where('username', '=', username).execute()).length;
const userCount = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

interface RegisterCase {
  name: string;
  body: string | object | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** The username that must not exist afterwards. */
  probe?: string;
}

const long = 'x'.repeat(33);
const json = (o: object) => Buffer.from(JSON.stringify(o));
const registerCases: RegisterCase[] = [
  {
    name: 'malformed JSON',
    body: '{"username": "mal_formed", "password": ',
    status: 400,
    code: 'invalid_json',
  },
  { name: 'JSON that is not an object', body: '"just a string"', status: 400, code: 'invalid_json' },
  {
    name: 'JSON array',
    body: '[{"username": "in_array", "password": "password123"}]',
    status: 400,
    code: 'validation_failed',
    probe: 'in_array',
  },
  {
    name: 'missing password',
    body: { username: 'no_password' },
    status: 400,
    code: 'validation_failed',
    probe: 'no_password',
  },
  { name: 'missing username', body: { password: PASSWORD }, status: 400, code: 'validation_failed' },
  {
    name: 'username as a number',
    body: { username: 12345, password: PASSWORD },
    status: 400,
    code: 'validation_failed',
    probe: '12345',
  },
  {
    name: 'password as an array',
    body: { username: 'arr_pw', password: [PASSWORD] },
    status: 400,
    code: 'validation_failed',
    probe: 'arr_pw',
  },
  {
    name: 'username too short',
    body: { username: 'ab', password: PASSWORD },
    status: 400,
    code: 'validation_failed',
    probe: 'ab',
  },
  {
    name: 'username too long',
    body: { username: long, password: PASSWORD },
    status: 400,
    code: 'validation_failed',
    probe: long,
  },
  {
    name: 'password too short',
    body: { username: 'short_pw', password: 'short' },
    status: 400,
    code: 'validation_failed',
    probe: 'short_pw',
  },
  {
    name: 'password too long',
    body: { username: 'long_pw', password: 'p'.repeat(129) },
    status: 400,
    code: 'validation_failed',
    probe: 'long_pw',
  },
  {
    name: 'unicode username',
    body: { username: 'játékos_ü', password: PASSWORD },
    status: 400,
    code: 'validation_failed',
    probe: 'játékos_ü',
  },
  {
    name: 'emoji username',
    body: { username: 'pl🎮yer', password: PASSWORD },
    status: 400,
    code: 'validation_failed',
    probe: 'pl🎮yer',
  },
  {
    name: 'SQL metacharacters',
    body: { username: "x'; DROP TABLE users;--", password: PASSWORD },
    status: 400,
    code: 'validation_failed',
    probe: "x'; DROP TABLE users;--",
  },
  {
    name: 'SQL wildcard',
    body: { username: 'a%b', password: PASSWORD },
    status: 400,
    code: 'validation_failed',
    probe: 'a%b',
  },
  {
    name: 'NUL byte',
    body: { username: 'nul\u0000byte', password: PASSWORD },
    status: 400,
    code: 'validation_failed',
    probe: 'nul\u0000byte',
  },
  {
    name: 'NUL byte in the password',
    body: { username: 'nul_pw', password: 'pass\u0000word-123' },
    status: 400,
    code: 'validation_failed',
    probe: 'nul_pw',
  },
  {
    name: 'newline in the password',
    body: { username: 'lf_pw', password: 'pass\nword-123' },
    status: 400,
    code: 'validation_failed',
    probe: 'lf_pw',
  },
  {
    name: 'escape character in the password',
    body: { username: 'esc_pw', password: 'pass\u001b[2Jword' },
    status: 400,
    code: 'validation_failed',
    probe: 'esc_pw',
  },
  {
    name: 'DEL in the password',
    body: { username: 'del_pw', password: 'pass\u007fword-123' },
    status: 400,
    code: 'validation_failed',
    probe: 'del_pw',
  },
  {
    name: 'C1 control (NEL) in the password',
    body: { username: 'nel_pw', password: 'pass\u0085word-123' },
    status: 400,
    code: 'validation_failed',
    probe: 'nel_pw',
  },
  {
    name: 'tab in the username',
    body: { username: 'tab\tname', password: PASSWORD },
    status: 400,
    code: 'validation_failed',
    probe: 'tab\tname',
  },
  {
    name: 'oversize body',
    body: { username: 'big_body', password: PASSWORD, pad: 'x'.repeat(20_000) },
    status: 413,
    code: 'payload_too_large',
    probe: 'big_body',
  },
  {
    name: 'form-encoded body',
    body: 'username=form_user&password=password123',
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    code: 'unsupported_media_type',
    probe: 'form_user',
  },
  {
    name: 'content-encoding gzip on a body that is not gzip',
    body: json({ username: 'not_gzip', password: PASSWORD }),
    headers: { 'Content-Encoding': 'gzip' },
    status: 400,
    code: 'invalid_body',
    probe: 'not_gzip',
  },
  {
    name: 'truncated gzip body',
    body: gzipSync(json({ username: 'cut_gzip', password: PASSWORD })).subarray(0, 20),
    headers: { 'Content-Encoding': 'gzip' },
    status: 400,
    code: 'invalid_body',
    probe: 'cut_gzip',
  },
  {
    name: 'content-encoding deflate on a body that is not deflate',
    body: json({ username: 'not_deflate', password: PASSWORD }),
    headers: { 'Content-Encoding': 'deflate' },
    status: 400,
    code: 'invalid_body',
    probe: 'not_deflate',
  },
  {
    name: 'unsupported content-encoding',
    body: deflateSync(json({ username: 'lzw_body', password: PASSWORD })),
    headers: { 'Content-Encoding': 'compress' },
    status: 415,
    code: 'unsupported_media_type',
    probe: 'lzw_body',
  },
  {
    name: 'unsupported charset',
    body: json({ username: 'latin_body', password: PASSWORD }),
    contentType: 'application/json; charset=latin1',
    status: 415,
    code: 'unsupported_media_type',
    probe: 'latin_body',
  },
  // body-parser decodes any "utf-*" charset; the README promises UTF-8 only.
  {
    name: 'charset utf-7',
    body: json({ username: 'utf7_body', password: PASSWORD }),
    contentType: 'application/json; charset=utf-7',
    status: 415,
    code: 'unsupported_media_type',
    probe: 'utf7_body',
  },
  {
    name: 'charset UTF-16, upper case',
    body: Buffer.from(JSON.stringify({ username: 'utf16_body', password: PASSWORD }), 'utf16le'),
    contentType: 'application/json; Charset=UTF-16',
    status: 415,
    code: 'unsupported_media_type',
    probe: 'utf16_body',
  },
  {
    name: 'charset utf8 (not the name UTF-8)',
    body: json({ username: 'utf8_alias', password: PASSWORD }),
    contentType: 'application/json; charset=utf8',
    status: 415,
    code: 'unsupported_media_type',
    probe: 'utf8_alias',
  },
];

/** A query the route refuses: `param` is the parameter the error must name. */
interface QueryCase {
  name: string;
  path: string;
  param: string;
}

const queryCases: QueryCase[] = [
  ['/api/users', 'limit'],
  ['/api/leaderboard', 'limit'],
].flatMap(([route, p]) => [
  { name: 'brackets (an array in qs syntax)', path: `${route}?${p}[]=5`, param: `${p}[]` },
  { name: 'given twice', path: `${route}?${p}=5&${p}=6`, param: p! },
  { name: 'hexadecimal', path: `${route}?${p}=0x10`, param: p! },
  { name: 'exponent', path: `${route}?${p}=1e1`, param: p! },
  { name: 'leading space', path: `${route}?${p}=%205`, param: p! },
  { name: "'+' (a space in a query)", path: `${route}?${p}=+5`, param: p! },
  { name: 'plus sign', path: `${route}?${p}=%2B5`, param: p! },
  { name: 'minus sign', path: `${route}?${p}=-5`, param: p! },
  { name: 'leading zero', path: `${route}?${p}=05`, param: p! },
  { name: 'decimal', path: `${route}?${p}=5.5`, param: p! },
  { name: 'integer written as a decimal', path: `${route}?${p}=5.0`, param: p! },
  { name: 'zero (below range)', path: `${route}?${p}=0`, param: p! },
  { name: 'above range', path: `${route}?${p}=101`, param: p! },
  { name: 'past Number precision', path: `${route}?${p}=99999999999999999999`, param: p! },
  { name: 'empty', path: `${route}?${p}=`, param: p! },
  { name: 'a word', path: `${route}?${p}=ten`, param: p! },
  { name: 'trailing NUL', path: `${route}?${p}=5%00`, param: p! },
  { name: 'a parameter the route does not take', path: `${route}?lmit=5`, param: 'lmit' },
]);
queryCases.push(
  { name: 'page given twice', path: '/api/users?page=1&page=2', param: 'page' },
  { name: 'page hexadecimal', path: '/api/users?page=0x1', param: 'page' },
  { name: 'page above range', path: '/api/users?page=100001', param: 'page' },
  { name: 'page in brackets', path: '/api/users?page[x]=1', param: 'page[x]' },
  { name: 'leaderboard has no page', path: '/api/leaderboard?page=1', param: 'page' },
);

describe('bad input is refused at the edge with the error envelope, and nothing is written', () => {
  it.each(registerCases)('POST /api/users: $name -> $status', async (c) => {
    const before = await userCount();
    const req = request(t.app).post('/api/users');
    if (typeof c.body === 'string' || Buffer.isBuffer(c.body)) {
      req.set('Content-Type', c.contentType ?? 'application/json');
    }
    if (c.headers) req.set(c.headers);
    const res = await req.send(c.body as object);
    expect(res.status).toBe(c.status);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toEqual({
      error: {
        code: c.code,
        message: expect.any(String),
        ...(res.body.error?.details ? { details: expect.anything() } : {}),
      },
    });
    if (c.probe) expect(await usersNamed(c.probe)).toBe(0);
    expect(await userCount()).toBe(before);
  });

  it.each(queryCases)('GET $path ($name) -> 400 naming $param', async (c) => {
    const res = await request(t.app).get(c.path).set(player.auth);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'validation_failed',
        message: expect.stringMatching(new RegExp(`^${c.param.replace(/[[\]]/g, '\\$&')}: `)),
        details: [{ field: c.param, message: expect.any(String) }],
      },
    });
  });

  it('answers the same routes when each parameter is written plainly, once, in range', async () => {
    const users = await request(t.app).get('/api/users?page=1&limit=100').set(player.auth).expect(200);
    expect(users.body).toMatchObject({ page: 1, limit: 100 });
    expect((await request(t.app).get('/api/users?limit=1').set(player.auth).expect(200)).body.limit).toBe(1);
    expect((await request(t.app).get('/api/users').set(player.auth).expect(200)).body).toMatchObject({
      page: 1,
      limit: 20,
    });
    await request(t.app).get('/api/leaderboard?limit=100').set(player.auth).expect(200);
    await request(t.app).get('/api/leaderboard?limit=1').set(player.auth).expect(200);
  });

  it('takes a JSON body declared as UTF-8, in any case, or with no charset', async () => {
    for (const [username, contentType] of [
      ['cs_upper', 'application/json; charset=UTF-8'],
      ['cs_quoted', 'application/json; charset="utf-8"'],
      ['cs_none', 'application/json'],
    ] as const) {
      await request(t.app)
        .post('/api/users')
        .set('Content-Type', contentType)
        .send(JSON.stringify({ username, password: PASSWORD }))
        .expect(201);
    }
  });

  it('refuses control characters in a login password too (NUL included)', async () => {
    const res = await request(t.app)
      .post('/api/login')
      .send({ username: player.username, password: `${PASSWORD}\u0000` });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('tells apart passwords that share their first 72 bytes (bcrypt reads no further)', async () => {
    const username = 'long_pw_72';
    const registered = `${'a'.repeat(72)}X`;
    await request(t.app).post('/api/users').send({ username, password: registered }).expect(201);
    const wrong = await request(t.app)
      .post('/api/login')
      .send({ username, password: `${'a'.repeat(72)}Y` });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    // Also past 72 bytes in UTF-8 while under 72 characters: 36 two-byte characters, then more.
    const wide = `${'é'.repeat(36)}-1`;
    await request(t.app).post('/api/users').send({ username: 'long_pw_utf8', password: wide }).expect(201);
    await request(t.app)
      .post('/api/login')
      .send({ username: 'long_pw_utf8', password: `${'é'.repeat(36)}-2` })
      .expect(401);
    await request(t.app).post('/api/login').send({ username, password: registered }).expect(200);
    await request(t.app).post('/api/login').send({ username: 'long_pw_utf8', password: wide }).expect(200);
  });

  it('SQL metacharacters in a login are just a wrong username', async () => {
    const res = await request(t.app).post('/api/login').send({ username: "' OR '1'='1", password: PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(await t.database.db.selectFrom('users').select('id').limit(1).execute()).toHaveLength(1);
  });

  const scoreCases = [
    { name: 'negative points', body: { points: -5 } },
    { name: 'zero points', body: { points: 0 } },
    { name: 'huge points', body: { points: 1e12 } },
    { name: 'fractional points', body: { points: 2.5 } },
    { name: 'points as a string', body: { points: '10' } },
    { name: 'no points', body: {} },
  ];

  it.each(scoreCases)('POST /api/sessions/:id/score: $name -> 400, score unchanged', async (c) => {
    const start = await request(t.app).post('/api/sessions').set(player.auth).expect(201);
    const id = start.body.id as number;
    const res = await request(t.app).post(`/api/sessions/${id}/score`).set(player.auth).send(c.body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    const row = await t.database.db
      .selectFrom('game_sessions')
      .select('score')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.score).toBe(0);
  });

  it.each(['abc', '0', '-1', '1.5', '99999999999999999999'])('session id %s -> 400', async (id) => {
    const res = await request(t.app).post(`/api/sessions/${id}/end`).set(player.auth);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it("refuses points on another player's session", async () => {
    const start = await request(t.app).post('/api/sessions').set(other.auth).expect(201);
    const res = await request(t.app)
      .post(`/api/sessions/${start.body.id}/score`)
      .set(player.auth)
      .send({ points: 10 });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('answers unknown routes and methods with the envelope', async () => {
    const res = await request(t.app).get('/api/nothing-here').expect(404);
    expect(res.body.error.code).toBe('not_found');
    const del = await request(t.app).delete('/api/users').expect(404);
    expect(del.body.error.code).toBe('not_found');
  });
});
