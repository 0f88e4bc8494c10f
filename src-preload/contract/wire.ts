// The browser host's wire format for call arguments and Result values: a JSON header plus appended binary parts,
// so Float32Array/Uint8Array (a mic clip, a dropped file, artwork) travel as raw bytes, never as base64 or number lists.
// Pure: no imports, no I/O; runs in the browser and in Node. Typed arrays are little-endian (every supported platform).
//
// Layout (offsets in bytes from the start of the message):
//   0   4 bytes  magic "AIW1"
//   4   uint32   H = header length (little-endian)
//   8   H bytes  header: UTF-8 JSON {"value": <encoded value>, "parts": [{"type": "f32"|"u8", "offset": n, "byteLength": n}]}
//   ... zero padding to a multiple of 8, then each part at its `offset` (a multiple of 8), zero padding between parts.
// In the encoded value, a few tagged objects stand for what JSON cannot say:
//   {"$wire": "bin", "part": i}                  the i-th binary part (Float32Array for "f32", Uint8Array for "u8")
//   {"$wire": "undefined"}                        undefined (kept in arrays and object fields)
//   {"$wire": "number", "value": "NaN" | "Infinity" | "-Infinity"}
//   {"$wire": "object", "value": {...}}           a plain object that itself has a "$wire" key (escaped)

/** The Content-Type of a wire message. */
export const WIRE_CONTENT_TYPE = 'application/x-audio-ident-wire';

const MAGIC = [0x41, 0x49, 0x57, 0x31] as const; // "AIW1"
const PREFIX_BYTES = 8;
const ALIGN_BYTES = 8;
/** Nesting deeper than this is refused (cycles, hostile input). */
const MAX_DEPTH = 64;
/** A message with more binary parts than this is refused (the contract's calls carry one or two). */
export const MAX_WIRE_PARTS = 1024;

// Declared here (module scope) because the contract compiles with neither the DOM lib nor Node types.
declare const TextEncoder: { new (): { encode(text: string): Uint8Array } };
declare const TextDecoder: { new (label?: string, options?: { fatal?: boolean }): { decode(bytes: Uint8Array): string } };

/** A value that cannot be encoded, or bytes that are not a well-formed wire message. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

/** A well-formed message that exceeds a bound: too many parts, or parts that add up to more bytes than it holds. */
export class WireLimitError extends WireError {
  constructor(message: string) {
    super(message);
    this.name = 'WireLimitError';
  }
}

type PartType = 'f32' | 'u8';
interface PartEntry {
  type: PartType;
  offset: number;
  byteLength: number;
}

const align = (n: number): number => Math.ceil(n / ALIGN_BYTES) * ALIGN_BYTES;

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function toJsonable(value: unknown, parts: (Float32Array | Uint8Array)[], depth: number): unknown {
  if (depth > MAX_DEPTH) throw new WireError(`nested deeper than ${MAX_DEPTH} levels (or a cycle)`);
  if (value === undefined) return { $wire: 'undefined' };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $wire: 'number', value: String(value) };
  if (value instanceof Float32Array || value instanceof Uint8Array) {
    parts.push(value);
    return { $wire: 'bin', part: parts.length - 1 };
  }
  if (typeof value !== 'object') throw new WireError(`cannot encode a ${typeof value}`);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) throw new WireError('only Float32Array and Uint8Array binary values are supported');
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = toJsonable(value[i], parts, depth + 1);
    return out;
  }
  if (!isPlainObject(value)) throw new WireError(`cannot encode a ${value.constructor?.name ?? 'non-plain'} object`);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') throw new WireError('cannot encode a "__proto__" key');
    out[key] = toJsonable((value as Record<string, unknown>)[key], parts, depth + 1);
  }
  return Object.hasOwn(out, '$wire') ? { $wire: 'object', value: out } : out;
}

/**
 * Encodes a value as the pieces of one wire message, in order: [prefix+header+padding, part, padding, part, ...].
 * Large typed arrays are not copied (their bytes are views), so a caller can stream them or wrap them in a Blob.
 */
export function encodeWireParts(value: unknown): Uint8Array[] {
  const binaries: (Float32Array | Uint8Array)[] = [];
  const encoded = toJsonable(value, binaries, 0);
  // The header holds the parts' offsets, which depend on the header's own length: compute with placeholder digits
  // wide enough for any offset, then pad the header with spaces (JSON whitespace) to the length we assumed.
  const entries: PartEntry[] = binaries.map((b) => ({ type: b instanceof Float32Array ? 'f32' : 'u8', offset: 0, byteLength: b.byteLength }));
  const encoder = new TextEncoder();
  const draft = encoder.encode(JSON.stringify({ value: encoded, parts: entries.map((e) => ({ ...e, offset: 1e15 })) }));
  const headerBytes = draft.length;
  let offset = align(PREFIX_BYTES + headerBytes);
  for (const entry of entries) {
    entry.offset = offset;
    offset = align(offset + entry.byteLength);
  }
  const header = encoder.encode(JSON.stringify({ value: encoded, parts: entries }));
  const first = new Uint8Array(align(PREFIX_BYTES + headerBytes));
  first.set(MAGIC, 0);
  new DataView(first.buffer).setUint32(4, headerBytes, true);
  first.fill(0x20, PREFIX_BYTES, PREFIX_BYTES + headerBytes);
  first.set(header, PREFIX_BYTES);
  const pieces: Uint8Array[] = [first];
  binaries.forEach((binary, i) => {
    pieces.push(new Uint8Array(binary.buffer, binary.byteOffset, binary.byteLength));
    const padding = align(entries[i].byteLength) - entries[i].byteLength;
    if (padding > 0 && i < binaries.length - 1) pieces.push(new Uint8Array(padding));
  });
  return pieces;
}

/** Encodes a value as one contiguous wire message. */
export function encodeWire(value: unknown): Uint8Array {
  const pieces = encodeWireParts(value);
  const total = pieces.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.byteLength;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function revive(value: unknown, parts: readonly (Float32Array | Uint8Array)[], depth: number): unknown {
  if (depth > MAX_DEPTH) throw new WireError(`nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i], parts, depth + 1);
    return value;
  }
  if (!isRecord(value)) return value;
  if (Object.hasOwn(value, '$wire')) {
    const tag = value.$wire;
    if (tag === 'undefined') return undefined;
    if (tag === 'bin') {
      const index = value.part;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= parts.length) throw new WireError('binary reference out of range');
      return parts[index];
    }
    if (tag === 'number') {
      if (value.value === 'NaN') return NaN;
      if (value.value === 'Infinity') return Infinity;
      if (value.value === '-Infinity') return -Infinity;
      throw new WireError('bad number tag');
    }
    if (tag === 'object' && isRecord(value.value)) {
      const inner = value.value;
      for (const key of Object.keys(inner)) inner[key] = revive(inner[key], parts, depth + 1);
      return inner;
    }
    throw new WireError('unknown $wire tag');
  }
  for (const key of Object.keys(value)) value[key] = revive(value[key], parts, depth + 1);
  return value;
}

/**
 * Decodes a wire message. Parts are views of one buffer: `bytes` itself when it starts on a 4-byte boundary, else
 * one aligned copy of the message made once (never one copy per part, so a header repeating an entry costs nothing).
 * Throws WireError on anything malformed (never trusts the header's offsets), WireLimitError past MAX_WIRE_PARTS parts
 * or when the parts' lengths add up to more than the message's body.
 */
export function decodeWire(bytes: Uint8Array): unknown {
  if (bytes.byteLength < PREFIX_BYTES || MAGIC.some((m, i) => bytes[i] !== m)) throw new WireError('not a wire message (bad magic)');
  const headerBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (headerBytes > bytes.byteLength - PREFIX_BYTES) throw new WireError('header runs past the end of the message');
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes)));
  } catch {
    throw new WireError('header is not valid UTF-8 JSON');
  }
  if (!isRecord(header) || !Object.hasOwn(header, 'value') || !Array.isArray(header.parts)) throw new WireError('header must be {value, parts}');
  const bodyStart = PREFIX_BYTES + headerBytes;
  const entries: unknown[] = header.parts;
  if (entries.length > MAX_WIRE_PARTS) throw new WireLimitError(`more than ${MAX_WIRE_PARTS} binary parts`);
  const bodyBytes = bytes.byteLength - bodyStart;
  let totalPartBytes = 0;
  const checked = entries.map((entry: unknown): PartEntry => {
    if (!isRecord(entry)) throw new WireError('bad part entry');
    const { type, offset, byteLength } = entry;
    if (type !== 'f32' && type !== 'u8') throw new WireError('part type must be f32 or u8');
    if (typeof offset !== 'number' || typeof byteLength !== 'number' || !Number.isInteger(offset) || !Number.isInteger(byteLength)) {
      throw new WireError('part offset and byteLength must be integers');
    }
    if (offset < bodyStart || byteLength < 0 || offset + byteLength > bytes.byteLength) throw new WireError('part lies outside the message');
    if (type === 'f32' && byteLength % 4 !== 0) throw new WireError('f32 part length must be a multiple of 4');
    if (type === 'f32' && offset % 4 !== 0) throw new WireError('f32 part offset must be a multiple of 4');
    totalPartBytes += byteLength;
    // The encoder never overlaps parts, so their lengths fit in the body; more means a header repeating entries.
    if (totalPartBytes > bodyBytes) throw new WireLimitError('binary parts add up to more bytes than the message holds');
    return { type, offset, byteLength };
  });
  // Float32Array views need a 4-byte aligned start: copy the whole message once if `bytes` itself is not aligned.
  let source = bytes;
  if (bytes.byteOffset % 4 !== 0 && checked.some((e) => e.type === 'f32')) source = bytes.slice();
  const parts = checked.map(({ type, offset, byteLength }): Float32Array | Uint8Array =>
    type === 'u8'
      ? new Uint8Array(source.buffer, source.byteOffset + offset, byteLength)
      : new Float32Array(source.buffer, source.byteOffset + offset, byteLength / 4),
  );
  return revive(header.value, parts, 0);
}
