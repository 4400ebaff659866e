// Runs in a worker thread of the password hasher's pool (piscina). Plain JavaScript so the same
// file works from src/ under vitest and from dist/ in production. bcrypt costs ~80 ms of CPU at
// cost 10 (docs/design.md): on the event loop it would stall every other request.
import bcrypt from 'bcryptjs';

/** @param {{op: 'hash', password: string, cost: number} | {op: 'compare', password: string, hash: string}} task */
export default function run(task) {
  if (task.op === 'hash') return bcrypt.hashSync(task.password, task.cost);
  return bcrypt.compareSync(task.password, task.hash);
}
