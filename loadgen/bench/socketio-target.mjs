// A Socket.IO 4 target for the benchmarks: `echo` answers its ack with what it got, and nothing
// else happens. PING_INTERVAL_MS sets the Engine.IO ping interval (default 25,000, socket.io's).
// Prints its port; `node bench/socketio-target.mjs [port]`.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, {
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: false,
  pingInterval: Number(process.env.PING_INTERVAL_MS ?? 25_000),
  connectTimeout: 60_000,
});
io.on('connection', (socket) => {
  socket.on('echo', (payload, ack) => {
    if (typeof ack === 'function') ack(payload);
  });
});
http.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1', backlog: 16384 }, () => {
  process.stdout.write(`${http.address().port}\n`);
});
process.on('SIGTERM', () => {
  io.disconnectSockets(true);
  io.close(() => process.exit(0));
});
