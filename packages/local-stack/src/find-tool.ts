import { access, constants } from 'node:fs/promises';
import { delimiter } from 'node:path';
import { StackError } from './stack-error.js';

const searchPath = (): string[] => [
  ...(process.env.PATH ?? '').split(delimiter).filter(Boolean),
  '/usr/sbin',
  '/usr/local/sbin',
  '/sbin',
];

/**
 * The first of `names` found on PATH or in the sbin folders daemons live in (Debian puts
 * `mariadbd` in /usr/sbin, outside a user's PATH). `hint` says how to install it.
 */
export async function findTool(names: string[], hint: string): Promise<string> {
  for (const name of names) {
    for (const dir of searchPath()) {
      const candidate = `${dir}/${name}`;
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // keep looking
      }
    }
  }
  throw new StackError('STACK_TOOL_MISSING', `${names.join(' or ')} not found: ${hint}`);
}
