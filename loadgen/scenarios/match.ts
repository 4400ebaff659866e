import {
  defineScenario,
  type ScenarioOptionsInput,
  type Vu,
  type VuSocket,
  type WsMessage,
} from '@game-load-lab/loadgen';
import { logIn, newPlayer, type Player, randInt, setUpPlayer } from './game.ts';
import { gameApiServer } from './game-api.ts';

/**
 * Realtime play over game-api's match channel (docs/realtime.md), written against loadgen's
 * public scripting API only. A player logs in over REST (as in the game pattern), then plays
 * online sessions: connect to `/ws` with its token, queue, play a match (a few moves, each
 * acknowledged; the other players' moves are pushed), end it, queue again, until the session's
 * length is up; then it goes offline for a while and comes back.
 *
 * Session lengths are drawn from a Weibull distribution: published measurements of online game
 * players' sessions fit it (a shape below 1 when many sessions are short and a few very long);
 * `session` sets its shape and scale, scaled down to fit a lab run of minutes.
 */

type MatchVu = Vu<Player, unknown>;

interface Matched extends WsMessage {
  matchId: string;
  players: { playerId: number; username: string }[];
}

export interface MatchPlay {
  /** Moves each player makes in a match. Default 3. */
  moves?: number;
  /** Seconds between a player's moves, [min, max]. Default [0.5, 1.5]. */
  moveThink?: [number, number];
  /** Online session length ~ Weibull(shape, scale seconds). Default shape 0.8, scale 40 s. */
  session?: { shape: number; scale: number };
  /** Seconds offline between sessions, [min, max]. Default [2, 5]. */
  offline?: [number, number];
  /** How long to wait for a match or a pushed message before giving up (counted as ws_timeout). */
  waitTimeout?: string;
}

/** A Weibull(shape k, scale lambda) draw by inverse transform: lambda * (-ln(1 - u))^(1/k). */
export function weibull(shape: number, scale: number, u = Math.random()): number {
  return scale * (-Math.log(1 - u)) ** (1 / shape);
}

/** The bearer token `logIn` put on the user's HTTP headers. */
function tokenOf(vu: MatchVu): string {
  const header = vu.http.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : '';
}

/** Connect with the player's token; a refused token (4401: expired) logs in again, once. */
export async function connectPlayer(vu: MatchVu): Promise<{ socket: VuSocket; playerId: number }> {
  for (let attempt = 0; ; attempt++) {
    const socket = await vu.ws.connect('/ws', { protocols: ['game.v1', `bearer.${tokenOf(vu)}`] });
    const welcome = await socket.next<{ playerId: number }>('welcome').catch(() => undefined);
    if (welcome !== undefined) return { socket, playerId: welcome.playerId };
    // The wait ended because the server closed the socket: why?
    const { code, reason } = await socket.closed;
    if (code !== 4401 || attempt > 0) {
      throw new Error(`the match channel closed before welcome: ${code} ${reason}`);
    }
    await logIn(vu);
  }
}

/** One match: every player moves, reads the others' moves; the lowest player id ends it. */
export async function playMatch(
  vu: MatchVu,
  socket: VuSocket,
  matched: Matched,
  me: number,
  play: Required<MatchPlay>,
): Promise<void> {
  const { matchId, players } = matched;
  const timeout = play.waitTimeout;
  for (let i = 0; i < play.moves; i++) {
    await vu.think(play.moveThink[0], play.moveThink[1]);
    await socket.request({ type: 'move', matchId, points: randInt(0, 10) }, 'move_ack', { timeout });
  }
  // The others' moves are pushed to us (their delay is measured on arrival as "ws moved").
  for (let i = play.moves * (players.length - 1); i > 0; i--) await socket.next('moved', { timeout });
  const ender = Math.min(...players.map((p) => p.playerId)) === me;
  const ended = ender
    ? await socket.request<WsMessage & { matchId: string }>({ type: 'end', matchId }, 'ended', { timeout })
    : await socket.next<WsMessage & { matchId: string }>('ended', { timeout });
  vu.check('match ended', ended.matchId === matchId);
}

const DEFAULT_PLAY: Required<MatchPlay> = {
  moves: 3,
  moveThink: [0.5, 1.5],
  session: { shape: 0.8, scale: 40 },
  offline: [2, 5],
  waitTimeout: '30s',
};

/** One online session: connect, queue and play until the session's length is up, disconnect. */
export function matchSession(options: MatchPlay = {}, sockets?: Set<VuSocket>) {
  const play = { ...DEFAULT_PLAY, ...options };
  return async (vu: MatchVu): Promise<void> => {
    const endsAt = Date.now() + weibull(play.session.shape, play.session.scale) * 1000;
    const { socket, playerId } = await connectPlayer(vu);
    sockets?.add(socket);
    try {
      do {
        // Queue -> matched is the matchmaking wait as the player sees it: measured as "ws queue".
        const matched = await socket.request<Matched>({ type: 'queue' }, 'matched', {
          timeout: play.waitTimeout,
        });
        await socket.next('queued'); // the queue's acknowledgement, long arrived
        await playMatch(vu, socket, matched, playerId, play);
      } while (vu.active && Date.now() < endsAt);
    } finally {
      sockets?.delete(socket);
      if (socket.open) await socket.close();
    }
    await vu.think(play.offline[0], play.offline[1]);
  };
}

/**
 * The realtime presets' gate: a move's acknowledgement and its fan-out to the other players
 * (`ws moved`, the push delay) at p95, and errors: HTTP's and the sockets' of each message type. Matchmaking's wait (`ws queue` latency) is reported, not
 * gated: it waits for other players to be free, which is the population's doing, not the server's.
 */
export const MATCH_THRESHOLDS = [
  'ws move:p95<250',
  'ws moved:p95<250',
  // `errors` is HTTP's; socket failures (ws_timeout, ws_closed) are gated per message type.
  'ws move:errors<1%',
  'ws moved:errors<1%',
  'ws queue:errors<1%',
  'errors<1%',
  'script_errors<1%',
];

/**
 * Realtime play with these options (game-api's fault gauge added): call pattern `match`, which
 * the reconnect storm plays too (its storm is an event of the run, like a fault).
 */
export function matchScenario(options: ScenarioOptionsInput, play: MatchPlay = {}, sockets?: Set<VuSocket>) {
  return defineScenario<Player, unknown>({
    options: { server: gameApiServer, pattern: 'match', ...options },
    state: newPlayer,
    setup: setUpPlayer,
    iteration: matchSession(play, sockets),
  });
}

/** `loadgen run match` (`npm run match` in the lab): 20 players in online sessions of matches. */
export default matchScenario({
  name: 'match',
  label: 'match',
  description:
    'Realtime play: 20 players log in over REST, connect to /ws, queue, play 3-move matches and end them; sessions ~ Weibull(0.8, 40 s), 2-5 s offline between.',
  model: { type: 'closed', users: 20, spawnRate: 10 },
  duration: '60s',
  thresholds: MATCH_THRESHOLDS,
});
