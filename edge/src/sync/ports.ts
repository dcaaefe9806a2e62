import type { SequencedRecord } from '../records/index.js';

/** What the sync client needs from the durable buffer; the root passes the buffer in. */
export interface Backlog {
  recordsAfter(afterSequence: number, limit: number): SequencedRecord[];
  acknowledge(ranges: readonly { first: number; last: number }[]): Promise<unknown>;
  onAppended(listener: () => void): () => void;
  /** Lowest sequence still held; 0 when empty. */
  firstSequence(): number;
}
