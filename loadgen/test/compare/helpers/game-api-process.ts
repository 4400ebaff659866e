import { freshDatabase, startGameApi as startGameApiProcess } from '../../helpers/game-api.js';

export interface GameApi {
  url: string;
  stop: () => Promise<void>;
}

/** The real game-api on a free port with its own fresh MySQL database, dropped on stop. */
export async function startGameApi(extraEnv: Record<string, string> = {}): Promise<GameApi> {
  const db = freshDatabase();
  const api = await startGameApiProcess(db.url, extraEnv);
  return {
    url: api.url,
    stop: async () => {
      await api.stop();
      await db.drop();
    },
  };
}
