// Every error code has words (also enforced at compile time by `satisfies`), and details are appended.
import { describe, expect, it } from 'vitest';
import { APP_ERROR_CODES } from '../../src-preload/contract/library';
import { describeError, describeNotice, ERROR_TEXT, NOTICE_TEXT } from './errorText';

describe('ERROR_TEXT', () => {
  it('has plain words for every AppErrorCode and nothing else', () => {
    expect(Object.keys(ERROR_TEXT).sort()).toEqual([...APP_ERROR_CODES].sort());
    for (const code of APP_ERROR_CODES) {
      expect(ERROR_TEXT[code].length).toBeGreaterThan(5);
      expect(ERROR_TEXT[code]).not.toMatch(/[a-z]+-[a-z]+-?[a-z]*$/); // words, not the code itself
    }
  });

  it('appends the detail', () => {
    expect(describeError({ code: 'folder-not-found', detail: '/nope' })).toBe(`${ERROR_TEXT['folder-not-found']} (/nope)`);
    expect(describeError({ code: 'cancelled' })).toBe('Cancelled.');
  });

  it('words the notices', () => {
    expect(describeNotice({ code: 'store-rebuilding' })).toMatch(/rebuilding the fingerprint index/i);
    expect(Object.keys(NOTICE_TEXT)).toHaveLength(6);
    expect(describeNotice({ code: 'model-unavailable', error: { code: 'model-missing', detail: 'clap: damaged' } })).toMatch(
      /built-in model is used instead.*\(clap: damaged\)$/,
    );
    expect(describeNotice({ code: 'catalog-unavailable', error: { code: 'catalog-newer-than-app' } })).toContain(ERROR_TEXT['catalog-newer-than-app']);
  });
});
