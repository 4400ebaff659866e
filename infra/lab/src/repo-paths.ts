import { fileURLToPath } from 'node:url';

/** The repository root: this file sits in infra/lab/src (tsx) or infra/lab/dist (built). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const repoPath = (...parts: string[]): string => [repoRoot.replace(/\/$/, ''), ...parts].join('/');
