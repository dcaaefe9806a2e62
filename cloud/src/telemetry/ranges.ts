import type { SequenceRange } from '../records/index.js';

/** Sequence numbers (any order, repeats allowed) as the fewest sorted, inclusive, contiguous ranges. */
export function toSequenceRanges(sequences: readonly number[]): SequenceRange[] {
  const sorted = [...new Set(sequences)].sort((a, b) => a - b);
  const ranges: SequenceRange[] = [];
  let current: SequenceRange | undefined;
  for (const sequence of sorted) {
    if (current !== undefined && sequence === current.last + 1) {
      current.last = sequence;
    } else {
      current = { first: sequence, last: sequence };
      ranges.push(current);
    }
  }
  return ranges;
}
