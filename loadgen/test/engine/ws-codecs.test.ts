import { join } from 'node:path';
import protobuf from 'protobufjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/model/summary-schema.js';
import { type FrameServer, type ServerCodec, startFrameServer } from '../helpers/frame-server.js';
import { runCli } from '../helpers/run-cli.js';
import { runFile } from '../helpers/scenarios.js';

const LOADGEN = join(import.meta.dirname, '..', '..');
const fixture = (name: string) => join(LOADGEN, 'test', 'fixtures', name);
const EXAMPLE = join(LOADGEN, 'examples', 'msgpack-echo.ts');

let server: FrameServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const endpoint = (s: Summary, name: string) => s.endpoints.find((e) => e.endpoint === name);
const message = (s: Summary, type: string) => s.ws?.messages.find((m) => m.type === type);
const total = (s: Summary, field: 'sentBytes' | 'receivedBytes') =>
  (s.ws?.messages ?? []).reduce((n, m) => n + (m[field] ?? 0), 0);

const run = (file: string, target: string, durationSec: number) => runFile(file, { target, durationSec });

describe('binary frames and codecs (vu.ws)', () => {
  it('examples/msgpack-echo.ts: binary frames only, request → reply timed per type, counts and bytes equal the server', async () => {
    // State patches pushed every 20 ms: unrelated binary messages between a request and its reply.
    server = await startFrameServer({ pushEveryMs: 20 });
    const s = await run(EXAMPLE, server.url, 2);
    const wire = server;

    // Every frame loadgen sent was binary MessagePack.
    expect(wire.textFrames).toBe(0);
    expect(wire.binaryFrames).toBe(message(s, 'echo')?.sent);
    expect(wire.received.get('echo')).toBe(message(s, 'echo')?.sent);
    expect(wire.frames.reduce((n, f) => n + f.data.length, 0)).toBe(message(s, 'echo')?.sentBytes);
    // Each echo timed once, on its own reply (same id), never on a patch.
    expect(endpoint(s, 'ws echo')).toMatchObject({
      kind: 'ws',
      count: wire.sent.get('echo_reply'),
      errors: 0,
    });
    expect(message(s, 'echo_reply')?.received).toBe(wire.sent.get('echo_reply'));
    expect(endpoint(s, 'ws echo_reply')).toBeUndefined();
    expect(s.checks).toEqual([
      { label: 'echo carries its payload back', passes: wire.sent.get('echo_reply'), fails: 0 },
    ]);
    // Patches: pushes, each counted and timed by its ts; the handler took them all, so none was
    // kept in the 5-message buffer and none dropped.
    const patch = message(s, 'patch');
    expect(patch?.received).toBe(wire.sent.get('patch'));
    expect(patch?.received).toBeGreaterThan(4 * 20);
    expect(patch?.dropped).toBe(0);
    expect(endpoint(s, 'ws patch')?.count).toBe(patch?.received);
    expect(s.thresholds.every((t) => t.passed)).toBe(true);
    // The connections carried the payloads plus frame headers and the handshakes.
    expect(s.ws?.wireBytes?.sent).toBeGreaterThan(total(s, 'sentBytes'));
    expect(s.ws?.wireBytes?.received).toBeGreaterThan(total(s, 'receivedBytes'));
  });

  it('examples/protobuf-codec.ts: a codec of a few lines speaks Protocol Buffers; replies timed, counts equal the server', async () => {
    // The server's own reading of the example's Envelope, with protobufjs.
    const Envelope = protobuf
      .parse(
        'syntax = "proto3"; message Envelope { string type = 1; uint32 id = 2; double ts = 3; bytes payload = 4; }',
      )
      .root.lookupType('Envelope');
    const codec: ServerCodec = {
      encode: (m) => Envelope.encode(Envelope.fromObject(m)).finish(),
      decode: (b) => Envelope.toObject(Envelope.decode(b)),
    };
    server = await startFrameServer({ codec });
    const s = await run(join(LOADGEN, 'examples', 'protobuf-codec.ts'), server.url, 2);
    expect(server.textFrames).toBe(0);
    expect(server.received.get('echo')).toBe(message(s, 'echo')?.sent);
    expect(endpoint(s, 'ws echo')).toMatchObject({ count: server.sent.get('echo_reply'), errors: 0 });
    expect(server.sent.get('echo_reply')).toBeGreaterThan(4);
    expect(s.checks).toEqual([
      { label: 'echo carries its payload back', passes: server.sent.get('echo_reply'), fails: 0 },
    ]);
  });

  it('permessage-deflate when asked: the server agreed, and the wire carried fewer bytes than the payloads', async () => {
    server = await startFrameServer({ perMessageDeflate: true });
    const s = await run(fixture('ws-deflate.ts'), server.url, 2);
    expect(server.extensions).toEqual(['permessage-deflate', 'permessage-deflate']);
    expect(s.checks).toEqual([{ label: 'permessage-deflate accepted', passes: 2, fails: 0 }]);
    expect(endpoint(s, 'ws echo')?.count).toBe(server.sent.get('echo_reply'));
    expect(message(s, 'echo')?.sentBytes).toBeGreaterThan(4000 * (message(s, 'echo')?.sent ?? 0));
    expect(s.ws?.wireBytes?.sent).toBeLessThan(total(s, 'sentBytes') / 4);
    expect(s.ws?.wireBytes?.received).toBeLessThan(total(s, 'receivedBytes') / 4);
  });

  it('bytes go as binary frames, strings as that exact text, objects as JSON; what is no message is refused with a clear error', async () => {
    server = await startFrameServer({ ackFrames: true });
    const s = await run(fixture('ws-frames.ts'), server.url, 2);
    expect(server.frames.map((f) => [f.binary, f.binary ? [...f.data] : f.data.toString()])).toEqual([
      [true, [1, 2, 3, 255]],
      [true, [130, 1, 2]],
      [true, [7, 8, 9]],
      [false, 'not JSON, sent as it is'],
      [false, '{"type":"hello"}'],
      [true, [5]],
      [false, '{"type":"obj","n":2}'],
    ]);
    // A string's type is read from it (JSON here); bytes the JSON codec does not decode are untyped.
    expect(Object.fromEntries((s.ws?.messages ?? []).map((m) => [m.type, m.sent]))).toEqual({
      '(untyped)': 5,
      got: 0,
      hello: 1,
      obj: 1,
    });
    expect(message(s, 'got')?.received).toBe(7);
    expect(endpoint(s, 'ws hello')?.count).toBe(1);
    expect(endpoint(s, 'ws obj')?.count).toBe(1);
    expect(endpoint(s, 'ws (untyped)')?.count).toBe(1);
    // Each refusal says what the value was and what to send instead.
    expect(s.checks?.map((c) => c.label).sort()).toEqual([
      'codec json: a Map or Set is sent by JSON as {}: make it an object or array',
      'codec json: its JSON is "1970-01-01T00:00:00.000Z", not an object or array',
      'codec json: socket.send(): a Promise is no message: await it first',
      'codec json: socket.send(): a function is no message',
      'codec json: socket.send(): number is no message: send a string, bytes (Uint8Array, Buffer, ArrayBuffer) or an object',
    ]);
    // Uncaught, the refusal fails the iteration as a script error, naming the script's line.
    const thrown = s.failures.find((f) => f.kind === 'script_error');
    expect(thrown?.sample).toMatch(
      /^TypeError: codec json: socket\.send\(\): a Promise is no message: await it first \(ws-frames\.ts:\d+\)$/,
    );
    expect(s.totals.scriptErrors).toBeGreaterThanOrEqual(1);
  });

  it('loadgen check refuses a Promise sent on a socket at its file:line, and passes the examples', async () => {
    const bad = await runCli(['check', fixture(join('broken', 'ws-send-promise.ts'))]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /ws-send-promise\.ts:11:17: Argument of type 'Promise<\{ type: string; x: number; \}>'/,
    );
    expect(bad.stderr).toContain('a Promise, Map or Set is no message: await the Promise');
    for (const example of ['msgpack-echo.ts', 'socketio-chat.ts', 'protobuf-codec.ts']) {
      const good = await runCli(['check', join(LOADGEN, 'examples', example)]);
      expect(good.stderr).toBe('');
      expect(good.code).toBe(0);
    }
  });
});
