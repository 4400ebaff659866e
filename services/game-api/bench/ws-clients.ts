/**
 * One client process of the WebSocket scale bench (`ws-scale.ts` forks a few): holds its share
 * of the sockets, queues them into matches, then sends moves at its share of the rate and
 * records each `moved` push's delay as `now - ts` (the server's receive time of the move).
 * Talks to the orchestrator over the IPC channel.
 */
import { WebSocket } from 'ws';

export interface ClientsJob {
  url: string;
  tokens: string[];
  /** Moves per second this process sends, spread over its sockets. */
  rate: number;
  /** Connection attempts in flight at once. */
  connectConcurrency: number;
}

export type ToClients =
  | { kind: 'job'; job: ClientsJob }
  | { kind: 'go' }
  | { kind: 'measure' }
  | { kind: 'stop' };

export type FromClients =
  | { kind: 'ready'; connected: number; matched: number; failed: number; connectMs: number }
  | { kind: 'result'; samples: number[]; sent: number; received: number; errors: number; closed: number };

const wallClock = () => performance.timeOrigin + performance.now();
const TICK_MS = 10;

interface Player {
  socket: WebSocket;
  matchId?: string;
}

const send = (message: FromClients) => process.send!(message);

/** Connects every socket (`connectConcurrency` handshakes at a time), queues each, and
 * resolves once every queued socket is matched. */
async function connectAll(job: ClientsJob): Promise<{ players: Player[]; failed: number }> {
  const players: Player[] = [];
  let failed = 0;
  let queued = 0;
  let matched = 0;
  let allMatched: () => void = () => undefined;
  let next = 0;
  const connectOne = (token: string) =>
    new Promise<void>((resolve) => {
      const socket = new WebSocket(job.url, ['game.v1', `bearer.${token}`], { perMessageDeflate: false });
      const player: Player = { socket };
      socket.on('message', (data) => {
        const m = JSON.parse(data.toString()) as { type: string; matchId?: string };
        if (m.type === 'welcome') socket.send('{"type":"queue"}');
        else if (m.type === 'queued') {
          queued++;
          resolve();
        } else if (m.type === 'matched') {
          player.matchId = m.matchId;
          players.push(player);
          if (++matched === queued && next >= job.tokens.length) allMatched();
        }
      });
      socket.on('error', () => {
        failed++;
        resolve();
      });
      socket.on('close', () => resolve());
    });
  const worker = async () => {
    while (next < job.tokens.length) await connectOne(job.tokens[next++]!);
  };
  await Promise.all(Array.from({ length: job.connectConcurrency }, worker));
  if (matched < queued) await new Promise<void>((resolve) => (allMatched = resolve));
  return { players, failed };
}

async function run(job: ClientsJob): Promise<void> {
  const started = performance.now();
  const { players, failed } = await connectAll(job);
  send({
    kind: 'ready',
    connected: players.length + failed,
    matched: players.length,
    failed,
    connectMs: performance.now() - started,
  });

  let measuring = false;
  const samples: number[] = [];
  let sent = 0;
  let received = 0;
  let errors = 0;
  let closed = 0;
  for (const p of players) {
    p.socket.removeAllListeners('message');
    p.socket.on('message', (data) => {
      const text = data.toString();
      // Only `moved` is measured; acks and errors are counted.
      if (text.startsWith('{"type":"moved"')) {
        const { ts } = JSON.parse(text) as { ts: number };
        if (measuring) {
          samples.push(wallClock() - ts);
          received++;
        }
      } else if (text.startsWith('{"type":"error"')) errors++;
    });
    p.socket.on('close', () => closed++);
  }

  let timer: NodeJS.Timeout | undefined;
  process.on('message', (message: ToClients) => {
    if (message.kind === 'go') {
      let due = 0;
      let cursor = 0;
      let last = performance.now();
      timer = setInterval(() => {
        const now = performance.now();
        due += ((now - last) / 1000) * job.rate;
        last = now;
        for (; due >= 1; due--) {
          const p = players[cursor++ % players.length]!;
          if (p.socket.readyState !== WebSocket.OPEN) continue;
          p.socket.send(`{"type":"move","matchId":"${p.matchId}","points":1}`);
          if (measuring) sent++;
        }
      }, TICK_MS);
    } else if (message.kind === 'measure') {
      measuring = true;
    } else if (message.kind === 'stop') {
      clearInterval(timer);
      measuring = false;
      // The orchestrator ends this process once it has the result (exiting here could lose it).
      send({ kind: 'result', samples, sent, received, errors, closed });
    }
  });
}

process.once('message', (message: ToClients) => {
  if (message.kind === 'job') void run(message.job);
});
