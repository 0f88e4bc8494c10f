// Keyboard movement in the tracks grid and keeping the focused row in view.
import { describe, expect, it } from 'vitest';
import { movedRowIndex, scrollTopToShow } from './gridKeys';

describe('movedRowIndex', () => {
  it('moves by one, by a page and to the ends, never past them', () => {
    expect(movedRowIndex('ArrowDown', 0, 10, 4)).toBe(1);
    expect(movedRowIndex('ArrowDown', 9, 10, 4)).toBe(9);
    expect(movedRowIndex('ArrowUp', 0, 10, 4)).toBe(0);
    expect(movedRowIndex('PageDown', 3, 10, 4)).toBe(7);
    expect(movedRowIndex('PageDown', 8, 10, 4)).toBe(9);
    expect(movedRowIndex('PageUp', 3, 10, 4)).toBe(0);
    expect(movedRowIndex('Home', 5, 10, 4)).toBe(0);
    expect(movedRowIndex('End', 5, 100_000, 4)).toBe(99_999);
    expect(movedRowIndex('a', 5, 10, 4)).toBeNull();
    expect(movedRowIndex('ArrowDown', 0, 0, 4)).toBeNull();
  });
});

describe('scrollTopToShow', () => {
  it('scrolls only as far as needed to show the whole row', () => {
    expect(scrollTopToShow(5, 34, 0, 340)).toBe(0); // already in view
    expect(scrollTopToShow(10, 34, 0, 340)).toBe(34); // just below: its bottom at the viewport's bottom
    expect(scrollTopToShow(2, 34, 200, 340)).toBe(68); // above: its top at the viewport's top
  });
});
