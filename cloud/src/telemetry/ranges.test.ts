import { describe, expect, it } from 'vitest';
import { toSequenceRanges } from './ranges.js';

describe('toSequenceRanges', () => {
  it('returns nothing for no sequences', () => {
    expect(toSequenceRanges([])).toEqual([]);
  });

  it('compresses a contiguous run into one range', () => {
    expect(toSequenceRanges([1, 2, 3, 4])).toEqual([{ first: 1, last: 4 }]);
  });

  it('splits at gaps and keeps single sequences as one-element ranges', () => {
    expect(toSequenceRanges([1, 2, 4, 7, 8, 9])).toEqual([
      { first: 1, last: 2 },
      { first: 4, last: 4 },
      { first: 7, last: 9 },
    ]);
  });

  it('sorts numerically and drops repeats', () => {
    expect(toSequenceRanges([10, 9, 2, 9, 1, 11])).toEqual([
      { first: 1, last: 2 },
      { first: 9, last: 11 },
    ]);
  });

  it('handles sequences near 2^53', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(toSequenceRanges([max, max - 1])).toEqual([{ first: max - 1, last: max }]);
  });
});
