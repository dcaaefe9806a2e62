import type { SequenceRange } from '../records/index.js';

/** Sequence numbers (any order, repeats allowed) as the fewest sorted, inclusive, contiguous ranges. */
export function toSequenceRanges(sequences: ArrayLike<number>): SequenceRange[] {
  const sorted = isStrictlyAscending(sequences) ? sequences : [...new Set(Array.from(sequences))].sort((a, b) => a - b);
  const ranges: SequenceRange[] = [];
  let current: SequenceRange | undefined;
  for (let i = 0; i < sorted.length; i++) {
    const sequence = sorted[i] as number;
    if (current !== undefined && sequence === current.last + 1) {
      current.last = sequence;
    } else {
      current = { first: sequence, last: sequence };
      ranges.push(current);
    }
  }
  return ranges;
}

function isStrictlyAscending(sequences: ArrayLike<number>): boolean {
  for (let i = 1; i < sequences.length; i++) if ((sequences[i - 1] as number) >= (sequences[i] as number)) return false;
  return true;
}
