import { freePort } from '@game-load-lab/local-stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grafanaAnswers } from '../../src/runs/dashboard-links.js';
import {
  grafanaStandIn,
  otherServerStandIn,
  type StandIn,
  silentServer,
} from '../helpers/grafana-stand-in.js';

const servers: StandIn[] = [];
let grafana: StandIn;
beforeAll(async () => {
  grafana = await grafanaStandIn();
  servers.push(grafana);
});
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('grafanaAnswers (a run links Grafana only when it is there)', () => {
  it('is true where a Grafana answers its health endpoint, with or without a trailing slash', async () => {
    expect(await grafanaAnswers(grafana.url)).toBe(true);
    expect(await grafanaAnswers(`${grafana.url}/`)).toBe(true);
  });

  it('is false where nothing listens (the local lab), or the name does not resolve', async () => {
    expect(await grafanaAnswers(`http://127.0.0.1:${await freePort()}`)).toBe(false);
    expect(await grafanaAnswers('http://grafana.invalid:3000')).toBe(false);
  });

  it('is false where another server answers every path with 200', async () => {
    const other = await otherServerStandIn();
    servers.push(other);
    expect(await grafanaAnswers(other.url)).toBe(false);
  });

  it('gives up on a server that never answers, within its timeout', async () => {
    const silent = await silentServer();
    servers.push(silent);
    expect(await grafanaAnswers(silent.url, 300)).toBe(false);
  });
});
