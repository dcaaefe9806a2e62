import type { Database } from 'lmdb';

/** [gatewayId, first sequence of the run]. */
export type SpanKey = [gatewayId: string, first: number];
/** [last sequence of the run, segment id]: every sequence of the run is held by that segment. */
export type SpanValue = [last: number, segment: number];
export type Spans = Database<SpanValue, SpanKey>;

// Above every sequence (they stay below 2^53, docs/decisions/0003): the end of one gateway's keys.
export const END_OF_GATEWAY = Number.MAX_VALUE;

/** Runs of consecutive sequences in an ascending list: [first, last] pairs. */
export function runsOf(sequences: ArrayLike<number>): [number, number][] {
  const runs: [number, number][] = [];
  let first = sequences[0];
  if (first === undefined) return runs;
  let last = first;
  for (let i = 1; i < sequences.length; i++) {
    const sequence = sequences[i] as number;
    if (sequence !== last + 1) {
      runs.push([first, last]);
      first = sequence;
    }
    last = sequence;
  }
  runs.push([first, last]);
  return runs;
}

export function putSpans(spans: Spans, gatewayId: string, sequences: ArrayLike<number>, segment: number): void {
  for (const [first, last] of runsOf(sequences)) spans.putSync([gatewayId, first], [last, segment]);
}

export function removeSpans(spans: Spans, gatewayId: string, sequences: ArrayLike<number>): void {
  for (const [first] of runsOf(sequences)) spans.removeSync([gatewayId, first]);
}

/** The run holding `sequence` or the nearest one below it, then every run up to `last`. */
export function* spansFrom(spans: Spans, gatewayId: string, sequence: number, last = END_OF_GATEWAY): Generator<{ first: number; last: number; segment: number }> {
  for (const { key, value } of spans.getRange({ start: [gatewayId, sequence], end: [gatewayId], reverse: true, limit: 1 })) {
    if (value[0] >= sequence) yield { first: key[1], last: value[0], segment: value[1] };
  }
  for (const { key, value } of spans.getRange({ start: [gatewayId, sequence + 1], end: [gatewayId, last + 1] })) {
    yield { first: key[1], last: value[0], segment: value[1] };
  }
}

/**
 * Which of the batch's sequences (ascending) the store holds, and in which segment: one range
 * read of the runs across the batch's span. For a new batch above everything held (the usual
 * case) it reads one entry and finds nothing.
 */
export function heldSegments(spans: Spans, gatewayId: string, sequences: readonly number[]): Map<number, number> {
  const held = new Map<number, number>();
  const first = sequences[0];
  const last = sequences.at(-1);
  if (first === undefined || last === undefined) return held;
  for (const run of spansFrom(spans, gatewayId, first, last)) {
    let low = 0;
    let high = sequences.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((sequences[mid] as number) < run.first) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < sequences.length && (sequences[i] as number) <= run.last; i++) held.set(sequences[i] as number, run.segment);
  }
  return held;
}

export function highestHeld(spans: Spans, gatewayId: string): number {
  for (const { value } of spans.getRange({ start: [gatewayId, END_OF_GATEWAY], end: [gatewayId], reverse: true, limit: 1 })) return value[0];
  return 0;
}
