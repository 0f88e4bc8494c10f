// Untrusted text (tags, file names, error details, arguments echoed back) made safe to print on a terminal: a title
// holding ESC[2J must not clear the screen, a newline must not forge an output line, U+202E must not reverse what
// follows. Pure. Every human-readable CLI output goes through terminalText; JSON output through terminalJson.

// C0 controls (all of them, tab and newline included), DEL, C1 controls (U+0080..U+009F: 0x9B is a one-byte CSI),
// the bidi marks, embeddings, overrides and isolates, and the line/paragraph separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

const hex = (c: string, width: number): string => c.codePointAt(0)!.toString(16).toUpperCase().padStart(width, '0');

/** Escapes control and bidi characters as visible text: ESC -> \x1B, U+202E -> \u202E. Everything else unchanged. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, (c) => (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/**
 * JSON.stringify, then also \u-escapes what JSON leaves raw but a terminal acts on (DEL, C1, bidi, U+2028/9).
 * JSON.stringify already escapes C0; these characters can only occur inside strings, where \uXXXX means the same.
 */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, (c) => `\\u${hex(c, 4)}`);
}
