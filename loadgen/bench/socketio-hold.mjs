// Holds N idle Socket.IO connections in one process, then prints what each costs in memory:
// `node --expose-gc bench/socketio-hold.mjs <client|parsers|ws> <port> <n>`. The variants:
// `client`, socket.io-client 4 (WebSocket transport, a new Manager per connection, no
// reconnection); `parsers`, a ws WebSocket with engine.io-parser and one socket.io-parser Decoder
// (the Engine.IO handshake, the namespace CONNECT, pings answered); `ws`, the bare WebSocket with
// the same handshake and pings done by hand, for reference. Prints one JSON line.
import * as engine from 'engine.io-parser';
import { io } from 'socket.io-client';
import { Decoder, Encoder, PacketType } from 'socket.io-parser';
import WebSocket from 'ws';

const [variant, port, count] = process.argv.slice(2);
const n = Number(count);
const url = `ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`;
const held = [];

function connectClient() {
  return new Promise((resolve, reject) => {
    const socket = io(`http://127.0.0.1:${port}`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

function connectRaw(withParsers) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const encoder = withParsers ? new Encoder() : undefined;
    const decoder = withParsers ? new Decoder() : undefined;
    const send = (text) => ws.send(text);
    decoder?.on('decoded', (packet) => {
      if (packet.type === PacketType.CONNECT) resolve({ ws, decoder });
    });
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? data : data.toString();
      if (!withParsers) {
        if (text === '2') send('3');
        else if (text[0] === '0') send('40');
        else if (text.startsWith('40')) resolve({ ws });
        return;
      }
      const packet = engine.decodePacket(text);
      if (packet.type === 'ping') engine.encodePacket({ type: 'pong' }, false, send);
      else if (packet.type === 'open') {
        for (const part of encoder.encode({ type: PacketType.CONNECT, nsp: '/' })) {
          engine.encodePacket({ type: 'message', data: part }, true, send);
        }
      } else if (packet.type === 'message') decoder.add(packet.data);
    });
    ws.once('error', reject);
  });
}

const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 200));
  }
  return process.memoryUsage();
};

const before = await settle();
for (let i = 0; i < n; i += 100) {
  const batch = Array.from({ length: Math.min(100, n - i) }, () =>
    variant === 'client' ? connectClient() : connectRaw(variant === 'parsers'),
  );
  held.push(...(await Promise.all(batch)));
}
const after = await settle();
const perConn = (field) => Math.round((after[field] - before[field]) / n);
console.log(
  JSON.stringify({
    variant,
    connections: held.length,
    rssBytesPerConnection: perConn('rss'),
    heapBytesPerConnection: perConn('heapUsed'),
    externalBytesPerConnection: perConn('external'),
    rssMb: Math.round(after.rss / 1048576),
  }),
);
process.exit(0);
