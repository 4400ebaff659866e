import { Decoder, Encoder } from '@msgpack/msgpack';
import type { WsCodec, WsFrame, WsMessage, WsObject } from './socket-api.js';

/**
 * The codecs loadgen ships: a socket's `codec` option (`vu.ws.connect(path, { codec })`).
 * Nothing goes out as a silent `{}`: before any codec sees a value, the socket refuses what is no
 * message (`refusal`), and the JSON codec refuses what JSON would empty; each throws a TypeError
 * that names the value and says what to send instead.
 */

/** Why `value` is no message any codec can send, or undefined when it may be one. */
export function refusal(value: unknown): string | undefined {
  if (typeof value === 'function') return 'a function is no message';
  if (typeof value !== 'object' || value === null) {
    return `${value === null ? 'null' : typeof value} is no message: send a string, bytes (Uint8Array, Buffer, ArrayBuffer) or an object`;
  }
  if (typeof (value as { then?: unknown }).then === 'function')
    return 'a Promise is no message: await it first';
  return undefined;
}

/** The codec's TypeError: what it was given and what it takes. */
export function notAMessage(codec: string, why: string): TypeError {
  return new TypeError(`codec ${codec}: ${why}`);
}

/**
 * JSON text frames (the default): an object or array is sent as its JSON; a received text frame
 * is parsed. A Map or Set (JSON `{}`) and a value whose JSON is no object or array (a Date, a
 * class with toJSON) are refused. A binary frame is not decoded (it comes as `(untyped)`).
 */
export const jsonCodec: WsCodec<WsObject, WsMessage> = {
  name: 'json',
  encode(message: WsObject): WsFrame {
    if (message instanceof Map || message instanceof Set) {
      throw notAMessage('json', 'a Map or Set is sent by JSON as {}: make it an object or array');
    }
    const text = JSON.stringify(message);
    const first = text?.charCodeAt(0);
    // 123 '{', 91 '[': anything else is not the object the script meant to send.
    if (first !== 123 && first !== 91) {
      throw notAMessage(
        'json',
        `its JSON is ${text === undefined ? 'nothing' : text.slice(0, 40)}, not an object or array`,
      );
    }
    return text;
  },
  decode(frame: WsFrame): WsMessage {
    return (typeof frame === 'string' ? JSON.parse(frame) : frame) as WsMessage;
  },
};

/**
 * MessagePack binary frames (@msgpack/msgpack): a message is encoded to bytes, sent as a binary
 * frame; a received binary frame is decoded (a text frame is not, and comes as `(untyped)`).
 * Maps, Dates and bytes inside a message travel as MessagePack has them.
 */
export const msgpackCodec: WsCodec<WsObject, WsMessage> = (() => {
  // One encoder and decoder for every socket: they hold no state between calls, and their
  // buffers and key cache are reused (the package's advice for speed).
  const encoder = new Encoder();
  const decoder = new Decoder();
  return {
    name: 'msgpack',
    encode(message: WsObject): WsFrame {
      return encoder.encode(message);
    },
    decode(frame: WsFrame): WsMessage {
      if (typeof frame === 'string') throw new TypeError('a text frame is no MessagePack');
      return decoder.decode(frame) as WsMessage;
    },
  };
})();
