import type { LeaderboardCache } from './leaderboard-cache.js';
import type { ProfileCache } from './profile-cache.js';

/** A player whose session (or match: it counts as one) MySQL has just committed. */
interface EndedSessionPlayer {
  userId: number;
  username: string;
  /** The player's total over every session and match, after this one. */
  totalScore: number;
}

/**
 * What follows the end of a session once MySQL has committed it, for `POST /api/sessions/:id/end`
 * and the match channel's `end` alike: each player's new total goes on the leaderboard and their
 * cached profile is dropped (its stats changed). A Redis outage only delays the caches.
 */
export async function recordSessionsEnded(
  caches: { leaderboard: LeaderboardCache; profiles: ProfileCache },
  players: readonly EndedSessionPlayer[],
): Promise<void> {
  await Promise.all(
    players.flatMap((p) => [
      caches.leaderboard.record(p.userId, p.username, p.totalScore),
      caches.profiles.invalidate(p.userId),
    ]),
  );
}
