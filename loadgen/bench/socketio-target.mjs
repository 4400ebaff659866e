// A Socket.IO 4 target for the benchmarks: `echo` answers its ack with what it got, and nothing
// else happens. PING_INTERVAL_MS sets the Engine.IO ping interval (default 25,000, socket.io's).
// GET /count answers what it counted so far: { acks, connects, connected, pongs, disconnects }
// (disconnect reasons), so a bench measures any client from the server's side.
// Prints its port; `node bench/socketio-target.mjs [port]`.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const counts = { acks: 0, connects: 0, connected: 0, pongs: 0, disconnects: {} };
const http = createServer((req, res) => {
  if (req.url === '/count')
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(counts));
  else res.writeHead(404).end();
});
const io = new Server(http, {
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
  pingInterval: Number(process.env.PING_INTERVAL_MS ?? 25_000),
  connectTimeout: 60_000,
});
io.on('connection', (socket) => {
  counts.connects++;
  counts.connected++;
  socket.conn.on('packet', (packet) => {
    if (packet.type === 'pong') counts.pongs++;
  });
  socket.on('disconnect', (reason) => {
    counts.connected--;
    counts.disconnects[reason] = (counts.disconnects[reason] ?? 0) + 1;
  });
  socket.on('echo', (payload, ack) => {
    if (typeof ack !== 'function') return;
    counts.acks++;
    ack(payload);
  });
});
http.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1', backlog: 16384 }, () => {
  process.stdout.write(`${http.address().port}\n`);
});
process.on('SIGTERM', () => {
  io.disconnectSockets(true);
  io.close(() => process.exit(0));
});
