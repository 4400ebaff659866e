import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';

export const PASSWORD = 'correct-horse-battery';

/** A username no other test (or earlier run against the same database) has used. */
export function uniqueName(prefix = 'p'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export interface Player {
  id: number;
  username: string;
  token: string;
  auth: { Authorization: string };
}

/** Registers and logs in a new player through the public API, as a client would. */
export async function newPlayer(app: Express, prefix?: string): Promise<Player> {
  const username = uniqueName(prefix);
  const reg = await request(app).post('/api/users').send({ username, password: PASSWORD }).expect(201);
  const login = await request(app).post('/api/login').send({ username, password: PASSWORD }).expect(200);
  const token = login.body.token as string;
  return { id: reg.body.id as number, username, token, auth: { Authorization: `Bearer ${token}` } };
}

/** Plays one session to its end with the given points. */
export async function playSession(app: Express, player: Player, points: number[]): Promise<number> {
  const started = await request(app).post('/api/sessions').set(player.auth).expect(201);
  const id = started.body.id as number;
  for (const p of points) {
    await request(app).post(`/api/sessions/${id}/score`).set(player.auth).send({ points: p }).expect(200);
  }
  await request(app).post(`/api/sessions/${id}/end`).set(player.auth).expect(200);
  return id;
}

/** `newPlayer` against a running server (a game-api process) instead of an in-process app. */
export async function newPlayerAt(baseUrl: string, prefix?: string): Promise<Player> {
  const username = uniqueName(prefix);
  const post = async (path: string) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const { id } = await post('/api/users');
  const { token } = await post('/api/login');
  return { id: id as number, username, token: token as string, auth: { Authorization: `Bearer ${token}` } };
}
