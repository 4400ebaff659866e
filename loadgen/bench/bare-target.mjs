// The benchmark target: a bare node:http server (no framework), so the client is what is measured.
// Prints its port on stdout; `node bench/bare-target.mjs [port]`.
import { createServer } from 'node:http';

const body = Buffer.from('hello world');
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1', backlog: 8192 }, () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
