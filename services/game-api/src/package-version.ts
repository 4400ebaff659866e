import { createRequire } from 'node:module';

// src/ and dist/ both sit one level below the package root (the image keeps package.json there too).
const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

/** game-api's version from its package.json: game_api_build_info's version label. */
export const GAME_API_VERSION: string = pkg.version;
