/**
 * Whether only this machine reaches `host`: `localhost`, `::1` (bare or in a URL's brackets) or
 * any address of 127.0.0.0/8. The lab's one rule for "local": which game-api a local lab's token
 * belongs to, and whether a game-api it starts is open to the network. loadgen keeps the same rule
 * for its dashboard (loadgen/src/dashboard/dashboard-address.ts); the lab does not depend on loadgen.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}
