// A fast stand-in for game-api's shape (the routes the game pattern calls, tiny JSON answers), so
// the bench measures the client running the pattern, not bcrypt or MySQL. Prints its port.
// `node bench/game-target.mjs [port]`.
import { createServer } from 'node:http';

const json = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};
let sessions = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const path = req.url.split('?')[0];
    if (path === '/metrics') return res.writeHead(404).end();
    if (req.method === 'POST' && path === '/api/users') return json(res, 201, { id: 1, username: 'p' });
    if (req.method === 'POST' && path === '/api/login')
      return json(res, 200, { token: 'bench-token', expiresIn: 3600 });
    if (req.headers.authorization !== 'Bearer bench-token')
      return json(res, 401, { error: { code: 'unauthorized' } });
    if (path === '/api/me') return json(res, 200, { id: 1, username: 'p', sessions: 3, totalScore: 1200 });
    if (req.method === 'POST' && path === '/api/sessions')
      return json(res, 201, { id: ++sessions, startedAt: 'now' });
    if (path.endsWith('/score')) return json(res, 200, { id: 1, score: 10 });
    if (path.endsWith('/end')) return json(res, 200, { id: 1, score: 10, endedAt: 'now' });
    if (path === '/api/leaderboard') return json(res, 200, { entries: [{ username: 'p', score: 1200 }] });
    if (path === '/api/users')
      return json(res, 200, { users: [{ id: 1, username: 'p' }], page: 1, limit: 20 });
    json(res, 404, { error: { code: 'not_found' } });
  });
});
server.keepAliveTimeout = 60_000;
server.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1', backlog: 8192 }, () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
