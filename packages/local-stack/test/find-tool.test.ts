import { describe, expect, it } from 'vitest';
import { findTool, StackError } from '../src/index.js';

describe('findTool', () => {
  it('finds a daemon in the sbin folders when PATH lacks them', async () => {
    // Debian installs mariadbd in /usr/sbin, which a user's PATH often lacks.
    const path = process.env.PATH;
    process.env.PATH = '/usr/bin:/bin';
    try {
      expect(await findTool(['no-such-tool-here', 'mariadbd', 'mysqld'], 'install MariaDB')).toMatch(
        /sbin\/(mariadbd|mysqld)$/,
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it('says which names it looked for and how to install them', async () => {
    const finding = findTool(['no-such-tool-a', 'no-such-tool-b'], 'apt-get install -y something');
    await expect(finding).rejects.toThrow(StackError);
    await expect(finding).rejects.toMatchObject({
      code: 'STACK_TOOL_MISSING',
      message: 'no-such-tool-a or no-such-tool-b not found: apt-get install -y something',
    });
  });
});
