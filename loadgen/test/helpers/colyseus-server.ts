import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Client, Room, Server } from '@colyseus/core';
import { schema } from '@colyseus/schema';
import { WebSocketTransport } from '@colyseus/ws-transport';

/** The room's own count of what its clients did: what loadgen's counts must equal. */
export interface BattleCounts {
  joins: number;
  leaves: number;
  moves: number;
}

export interface ColyseusServer {
  /** http://127.0.0.1:<port>: the matchmaker's HTTP routes and the rooms' WebSockets. */
  url: string;
  counts: BattleCounts;
  close: () => Promise<void>;
}

// State declared with schema(), not decorators: the tests' TypeScript has no experimentalDecorators.
const Player = schema({ moves: 'number' }, 'Player');
const BattleState = schema({ players: { map: Player }, moves: 'number' }, 'BattleState');

/**
 * A real Colyseus 0.16 server (@colyseus/core, @colyseus/ws-transport) on port 0 with one room
 * type, `battle`: a player joins, sends `move` messages ({ seq }) that the room counts and answers
 * with `moved` ({ seq }), and leaves. Anything but the matchmaker's routes answers 404 (loadgen
 * reads /metrics around a run). The process-wide matchmaker is set up by `new Server`, so one such
 * server runs per test file.
 */
export async function startColyseusServer(): Promise<ColyseusServer> {
  const counts: BattleCounts = { joins: 0, leaves: 0, moves: 0 };
  class BattleRoom extends Room<InstanceType<typeof BattleState>> {
    override maxClients = 1000;

    override onCreate(): void {
      // schema() fields start undefined: counters start at 0, or `++` makes NaN the encoder refuses.
      const state = new BattleState();
      state.moves = 0;
      this.setState(state);
      this.onMessage('move', (client: Client, message: { seq: number }) => {
        counts.moves++;
        this.state.moves++;
        const player = this.state.players.get(client.sessionId);
        if (player !== undefined) player.moves++;
        client.send('moved', { seq: message.seq });
      });
    }

    override onJoin(client: Client): void {
      counts.joins++;
      const player = new Player();
      player.moves = 0;
      this.state.players.set(client.sessionId, player);
    }

    override onLeave(client: Client): void {
      counts.leaves++;
      this.state.players.delete(client.sessionId);
    }
  }
  const http = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const server = new Server({
    transport: new WebSocketTransport({ server: http }),
    greet: false,
    // Its default installs SIGINT/SIGTERM handlers that exit the process: not in a test runner.
    gracefullyShutdown: false,
  });
  server.define('battle', BattleRoom);
  await server.listen(0, '127.0.0.1');
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    close: () => server.gracefullyShutdown(false),
  };
}
