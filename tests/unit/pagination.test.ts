import { describe, expect, it } from 'vitest';
import { pageWindow } from '../../src/site/pagination';

describe('pageWindow', () => {
  it('shows every page of a short archive', () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(2, 3)).toEqual([1, 2, 3]);
    expect(pageWindow(4, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('shows first, last, the current page and two neighbours, with gaps between', () => {
    expect(pageWindow(1, 1667)).toEqual([1, 2, 3, 'gap', 1667]);
    expect(pageWindow(800, 1667)).toEqual([1, 'gap', 798, 799, 800, 801, 802, 'gap', 1667]);
    expect(pageWindow(1667, 1667)).toEqual([1, 'gap', 1665, 1666, 1667]);
  });

  it('never hides a single page behind a gap', () => {
    expect(pageWindow(5, 20)).toEqual([1, 2, 3, 4, 5, 6, 7, 'gap', 20]);
    expect(pageWindow(16, 20)).toEqual([1, 'gap', 14, 15, 16, 17, 18, 19, 20]);
  });

  it('stays a handful of links however large the archive', () => {
    for (const last of [10, 100, 10_000, 1_000_000]) {
      for (const current of [1, 2, Math.ceil(last / 2), last - 1, last]) {
        const items = pageWindow(current, last);
        expect(items.length).toBeLessThanOrEqual(9);
        expect(items).toContain(current);
        expect(items[0]).toBe(1);
        expect(items.at(-1)).toBe(last);
        const numbers = items.filter((i): i is number => i !== 'gap');
        expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      }
    }
  });

  it('clamps a current page out of range and returns nothing for no pages', () => {
    expect(pageWindow(0, 3)).toEqual([1, 2, 3]);
    expect(pageWindow(9, 3)).toEqual([1, 2, 3]);
    expect(pageWindow(1, 0)).toEqual([]);
  });
});
