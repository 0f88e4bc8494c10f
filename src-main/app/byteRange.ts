// HTTP byte ranges for seekable audio: parses one "Range: bytes=..." header against a file size. Pure.
// Multi-range requests (rare for media elements) are answered with the first range only.

export type ByteRange = Readonly<{ start: number; end: number }>; // inclusive, as in Content-Range

/**
 * null: no (usable) Range header, answer 200 with the whole file; 'unsatisfiable': answer 416;
 * otherwise the inclusive byte range to send with 206.
 */
export function parseByteRange(header: string | null | undefined, sizeBytes: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^\s*bytes\s*=\s*([^,]*)/i.exec(header);
  if (!match) return null; // another unit: ignore, send everything
  const spec = match[1].trim();
  const parts = /^(\d*)\s*-\s*(\d*)$/.exec(spec);
  if (!parts) return null;
  const [, startText, endText] = parts;
  if (startText === '' && endText === '') return null;
  if (startText === '') {
    // Suffix range: the last N bytes.
    const suffixBytes = Number(endText);
    if (suffixBytes === 0) return 'unsatisfiable';
    if (sizeBytes === 0) return 'unsatisfiable';
    return { start: Math.max(0, sizeBytes - suffixBytes), end: sizeBytes - 1 };
  }
  const start = Number(startText);
  if (start >= sizeBytes) return 'unsatisfiable';
  const end = endText === '' ? sizeBytes - 1 : Math.min(Number(endText), sizeBytes - 1);
  if (end < start) return null; // syntactically invalid: ignore the header (RFC 9110 14.1.1)
  return { start, end };
}
