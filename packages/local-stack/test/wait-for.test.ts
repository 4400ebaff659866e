import { describe, expect, it } from 'vitest';
import { StackError, waitFor } from '../src/index.js';

describe('waitFor', () => {
  it('resolves with the first value that is not undefined, null or false', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls < 3 ? undefined : { calls }), { intervalMs: 10 });
    expect(value).toEqual({ calls: 3 });
  });

  it('counts a check that throws as "not yet", and names its last error when time runs out', async () => {
    const waiting = waitFor(
      async () => {
        throw new Error('connection refused');
      },
      { what: 'the server answering', timeoutMs: 200, intervalMs: 20 },
    );
    await expect(waiting).rejects.toThrow(StackError);
    await expect(waiting).rejects.toThrow(
      /the server answering not met within 200 ms \(last error: connection refused\)/,
    );
  });

  it('stops at once with the reason abandonIf gives', async () => {
    const started = Date.now();
    const waiting = waitFor(() => false, { timeoutMs: 30_000, abandonIf: () => 'the process exited' });
    await expect(waiting).rejects.toThrow('the process exited');
    // Long before the 30 s timeout: a functional bound, not a timing assertion.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
