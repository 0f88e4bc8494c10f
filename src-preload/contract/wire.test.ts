// Round trips through the wire format, its byte layout, and refusal of malformed or hostile messages.
import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire, encodeWireParts, MAX_WIRE_PARTS, WireError, WireLimitError } from './wire.js';

const roundTrip = (value: unknown): unknown => decodeWire(encodeWire(value));
// ASCII only (the contract compiles without DOM or Node types, so no TextEncoder here).
const asciiBytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const asciiText = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

describe('wire format', () => {
  it('round-trips plain JSON values', () => {
    const value = { a: 1, b: 'text ✓ 🎵', c: [true, false, null], d: { e: -2.5, f: '' } };
    expect(roundTrip(value)).toEqual(value);
    expect(roundTrip('just a string')).toBe('just a string');
    expect(roundTrip(null)).toBeNull();
  });

  it('keeps undefined (as an argument and a field), NaN and infinities', () => {
    const args = roundTrip([undefined, { page: 2 }]) as unknown[];
    expect(args).toHaveLength(2);
    expect(args[0]).toBeUndefined();
    const result = roundTrip({ ok: true, value: undefined }) as Record<string, unknown>;
    expect(Object.hasOwn(result, 'value')).toBe(true);
    expect(result.value).toBeUndefined();
    expect(roundTrip(undefined)).toBeUndefined();
    expect(roundTrip([NaN, Infinity, -Infinity])).toEqual([NaN, Infinity, -Infinity]);
  });

  it('escapes objects that have a "$wire" key of their own', () => {
    const value = { $wire: 'bin', part: 0, nested: { $wire: 'undefined' } };
    expect(roundTrip(value)).toEqual(value);
  });

  it('carries a 15 s 48 kHz Float32Array clip as raw bytes, not JSON numbers', () => {
    const samples = new Float32Array(48_000 * 15);
    for (let i = 0; i < samples.length; i++) samples[i] = Math.sin(i / 7) * 0.5;
    const args = [{ audio: { kind: 'pcm', sampleRateHz: 48_000, samples }, source: 'mic', mode: 'exact', maxResults: 5 }];
    const bytes = encodeWire(args);
    // 4 bytes per sample plus a small header: no base64 (4/3) or decimal text (~10 bytes per sample).
    expect(bytes.byteLength).toBeLessThan(samples.byteLength + 512);
    const back = decodeWire(bytes) as typeof args;
    expect(back[0].audio.samples).toBeInstanceOf(Float32Array);
    const got = back[0].audio.samples;
    expect(got.length).toBe(samples.length);
    let mismatches = 0;
    for (let i = 0; i < samples.length; i++) if (got[i] !== samples[i]) mismatches++;
    expect(mismatches).toBe(0);
    expect(back[0]).toMatchObject({ source: 'mic', mode: 'exact', maxResults: 5, audio: { kind: 'pcm', sampleRateHz: 48_000 } });
  });

  it('carries several binary parts, including empty and odd-length ones and subarray views', () => {
    const base = new Uint8Array(100).map((_, i) => i);
    const value = {
      file: base.subarray(3, 20), // 17 bytes from an offset view
      empty: new Uint8Array(0),
      pcm: new Float32Array([1.5, -2, 3.25]),
      pcmView: new Float32Array([9, 8, 7, 6]).subarray(1, 3),
    };
    const back = roundTrip(value) as typeof value;
    expect(back.file).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.file)).toEqual(Array.from(base.subarray(3, 20)));
    expect(back.empty.byteLength).toBe(0);
    expect(Array.from(back.pcm)).toEqual([1.5, -2, 3.25]);
    expect(Array.from(back.pcmView)).toEqual([8, 7]);
  });

  it('lays out magic, header length, header and 8-byte aligned parts', () => {
    const pieces = encodeWireParts({ x: new Uint8Array([1, 2, 3]), y: new Float32Array([1]) });
    const bytes = encodeWire({ x: new Uint8Array([1, 2, 3]), y: new Float32Array([1]) });
    expect(pieces.reduce((n, p) => n + p.byteLength, 0)).toBe(bytes.byteLength);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('AIW1');
    const headerLength = new DataView(bytes.buffer).getUint32(4, true);
    const header = JSON.parse(asciiText(bytes.subarray(8, 8 + headerLength)));
    expect(header.parts).toHaveLength(2);
    for (const part of header.parts) expect(part.offset % 8).toBe(0);
    expect(Array.from(bytes.subarray(header.parts[0].offset, header.parts[0].offset + 3))).toEqual([1, 2, 3]);
    expect(header.value).toEqual({ x: { $wire: 'bin', part: 0 }, y: { $wire: 'bin', part: 1 } });
  });

  it('decodes from an unaligned buffer position (copies the floats)', () => {
    const bytes = encodeWire([new Float32Array([0.25, 0.5])]);
    const shifted = new Uint8Array(bytes.byteLength + 1);
    shifted.set(bytes, 1);
    const back = decodeWire(shifted.subarray(1)) as Float32Array[];
    expect(Array.from(back[0])).toEqual([0.25, 0.5]);
  });

  // A hand-made message: header JSON, then `bodyBytes` zero bytes, placed at byte offset `shift` of a larger buffer.
  const handMade = (json: string, bodyBytes: number, shift: number): Uint8Array => {
    const text = asciiBytes(json);
    const start = Math.ceil((8 + text.length) / 8) * 8;
    const out = new Uint8Array(shift + start + bodyBytes);
    const message = out.subarray(shift);
    message.set([0x41, 0x49, 0x57, 0x31]);
    message.set([text.length & 0xff, (text.length >> 8) & 0xff, (text.length >> 16) & 0xff, 0], 4);
    message.set(text, 8);
    message.fill(0x20, 8 + text.length, start);
    return message;
  };
  const headerEnd = (json: string): number => Math.ceil((8 + json.length) / 8) * 8;

  it('copies an unaligned message once, however many header entries point into it', () => {
    // Issue 15 #7: every f32 entry used to copy its bytes, so N entries over one part cost N copies.
    const entryCount = 200;
    const partBytes = 4096;
    const draft = (offset: number): string =>
      JSON.stringify({
        value: Array.from({ length: entryCount }, (_, i) => ({ $wire: 'bin', part: i })),
        parts: Array.from({ length: entryCount }, () => ({ type: 'f32', offset, byteLength: 20 })),
      });
    const offset = headerEnd(draft(1e6)); // the header padded to the width of a 7-digit offset
    const json = draft(offset).padEnd(draft(1e6).length, ' ');
    const message = handMade(json, partBytes, 1);
    expect(message.byteOffset % 4).not.toBe(0);
    const back = decodeWire(message) as Float32Array[];
    expect(back).toHaveLength(entryCount);
    const buffers = new Set(back.map((a) => a.buffer));
    expect(buffers.size).toBe(1);
    expect([...buffers][0].byteLength).toBeLessThanOrEqual(message.byteLength);
  });

  it('keeps aligned parts as views of the message itself', () => {
    const bytes = encodeWire([new Float32Array([1, 2]), new Uint8Array([3])]);
    const back = decodeWire(bytes) as [Float32Array, Uint8Array];
    expect(back[0].buffer).toBe(bytes.buffer);
    expect(back[1].buffer).toBe(bytes.buffer);
  });

  it('refuses too many parts, or parts adding up to more than the body, with WireLimitError', () => {
    const many = JSON.stringify({ value: 0, parts: Array.from({ length: MAX_WIRE_PARTS + 1 }, () => ({ type: 'u8', offset: 1e6, byteLength: 0 })) });
    expect(() => decodeWire(handMade(many, 0, 0))).toThrow(WireLimitError);
    const repeatedJson = (offset: number): string =>
      JSON.stringify({ value: 0, parts: Array.from({ length: 3 }, () => ({ type: 'u8', offset, byteLength: 64 })) });
    const offset = headerEnd(repeatedJson(1000));
    const repeated = handMade(repeatedJson(offset).padEnd(repeatedJson(1000).length, ' '), 64, 0);
    expect(() => decodeWire(repeated)).toThrow(WireLimitError);
    expect(new WireLimitError('x')).toBeInstanceOf(WireError);
  });

  it('refuses values it cannot encode', () => {
    expect(() => encodeWire(new Map())).toThrow(WireError);
    expect(() => encodeWire(new Int16Array(2))).toThrow(WireError);
    expect(() => encodeWire(() => 1)).toThrow(WireError);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => encodeWire(cycle)).toThrow(WireError);
  });

  it('refuses malformed messages with WireError, never another exception', () => {
    const good = encodeWire({ a: new Uint8Array([1, 2, 3, 4]) });
    const header = (json: string, tail = 0): Uint8Array => {
      const text = asciiBytes(json);
      const out = new Uint8Array(8 + text.length + tail);
      out.set([0x41, 0x49, 0x57, 0x31]);
      new DataView(out.buffer).setUint32(4, text.length, true);
      out.set(text, 8);
      return out;
    };
    const bad: Uint8Array[] = [
      new Uint8Array(0),
      asciiBytes('{"value": 1}'),
      good.subarray(0, 12), // header cut short
      header('not json'),
      header('{"value": 1}'),
      header('[1, 2]'),
      header('{"value": {"$wire": "bin", "part": 0}, "parts": []}'),
      header('{"value": 0, "parts": [{"type": "f32", "offset": 40, "byteLength": 8}]}', 8), // past the end
      header('{"value": 0, "parts": [{"type": "f32", "offset": 0, "byteLength": 4}]}', 8), // inside the header
      header('{"value": 0, "parts": [{"type": "i16", "offset": 64, "byteLength": 2}]}', 64),
      header('{"value": {"$wire": "eval"}, "parts": []}'),
      header('{"value": {"$wire": "number", "value": "1e9"}, "parts": []}'),
      header(`{"value": ${'['.repeat(200)}${']'.repeat(200)}, "parts": []}`),
    ];
    for (const bytes of bad) expect(() => decodeWire(bytes), String(bytes.byteLength)).toThrow(WireError);
  });
});
