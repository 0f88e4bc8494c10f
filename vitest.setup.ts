// Setup file of the 'shared' project in vitest.config.ts: its test files run one after another in one process, so each
// must leave that process as it found it. After each file: fake timers still on, or process.env changed, fail that
// file (not a later one that would trip on it); spies it left are restored.
import { afterAll, beforeAll, vi } from 'vitest';

let envAtStart: Record<string, string | undefined> = {};

beforeAll(() => {
  envAtStart = { ...process.env };
});

afterAll(() => {
  const left: string[] = [];
  if (vi.isFakeTimers()) {
    vi.useRealTimers();
    left.push('fake timers on (call vi.useRealTimers())');
  }
  const changed = [...new Set([...Object.keys(envAtStart), ...Object.keys(process.env)])].filter((name) => envAtStart[name] !== process.env[name]);
  if (changed.length > 0) left.push(`process.env changed: ${changed.join(', ')} (put it back, or list the file in ISOLATED in vitest.config.ts)`);
  vi.restoreAllMocks();
  if (left.length > 0) throw new Error(`this test file shares its process with others and left ${left.join('; ')}`);
});
