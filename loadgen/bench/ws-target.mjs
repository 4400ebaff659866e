// A light WebSocket target for the sockets bench: every socket gets a `welcome` (with ts), and
// each `{"type":"ping","id"}` is answered `{"type":"pong","id","ts"}`. Nothing is kept per
// socket. Prints its port; `node bench/ws-target.mjs [port]`.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const http = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.send(JSON.stringify({ type: 'welcome', ts: Date.now() }));
  socket.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.type === 'ping') socket.send(JSON.stringify({ type: 'pong', id: m.id, ts: Date.now() }));
  });
});
http.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1', backlog: 16384 }, () => {
  process.stdout.write(`${http.address().port}\n`);
});
process.on('SIGTERM', () => {
  for (const client of wss.clients) client.terminate();
  http.close(() => process.exit(0));
});
