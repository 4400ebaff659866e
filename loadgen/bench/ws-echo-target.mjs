// The codec bench's target: a `ws` server on /ws answering `echo` with `echo_reply` (same id and
// payload, and ts), in the frame it came in: a text frame as JSON, a binary frame as MessagePack.
// Prints its port; `node bench/ws-echo-target.mjs [port]`.
import { createServer } from 'node:http';
import { Decoder, Encoder } from '@msgpack/msgpack';
import { WebSocketServer } from 'ws';

const encoder = new Encoder();
const decoder = new Decoder();
const http = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    const m = isBinary ? decoder.decode(data) : JSON.parse(data.toString());
    if (m.type !== 'echo') return;
    const reply = { type: 'echo_reply', id: m.id, payload: m.payload, ts: Date.now() };
    socket.send(isBinary ? encoder.encode(reply) : JSON.stringify(reply));
  });
});
http.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1', backlog: 1024 }, () => {
  process.stdout.write(`${http.address().port}\n`);
});
process.on('SIGTERM', () => {
  for (const client of wss.clients) client.terminate();
  http.close(() => process.exit(0));
});
