import type { DesiredStateReport, DesiredState__Output } from '@coupler/proto';
import type { Lane } from '../records/index.js';

/** The buffer's state as the cloud is told it (BacklogReport on the wire). */
export interface BacklogState {
  records: number;
  bytes: number;
  quotaBytes: number;
  oldestTimestampMs: number | undefined;
  secondsUntilQuotaFull: number | undefined;
  lanes: Record<Lane, { records: number; bytes: number; droppedTotal: number }>;
}

/** What the sync client needs from the durable buffer; the root passes the buffer in. */
export interface Backlog {
  /** Up to `limit` records of one lane after `afterSequence`, oldest first, in their wire encoding, and the last one's sequence; undefined when none. */
  batchAfter(lane: Lane, afterSequence: number, limit: number): { records: Uint8Array[]; lastSequence: number } | undefined;
  /** Deletes what the cloud acknowledged; `lane` is the batch's, the one lane holding those sequences. */
  acknowledge(ranges: readonly { first: number; last: number }[], lane?: Lane): Promise<unknown>;
  /** Moves the sequence counter above the cloud's highest stored sequence; true when it was not (docs/decisions/0009). */
  advanceSequence(highestStoredSequence: number): Promise<boolean>;
  /** Gives the records held under `ranges` new sequences above the cloud's highest stored one, in one transaction. */
  renumber(ranges: readonly { first: number; last: number }[], highestStoredSequence: number): Promise<{ renumbered: number; isCounterAdvanced: boolean }>;
  onAppended(listener: () => void): () => void;
  /** Lowest sequence still held; 0 when empty. */
  firstSequence(): number;
  state(): BacklogState;
}

/**
 * The gateway's desired-state applier as the sync client sees it: the cloud's DesiredState goes
 * in, the complete DesiredStateReport comes out, and a listener hears when the report changed.
 */
export interface DesiredStatePort {
  /** Takes a DesiredState from the cloud; returns at once (the work runs in the background). */
  apply(state: DesiredState__Output): void;
  /** The complete report (every item): what the stream sends as `applied`. */
  report(): DesiredStateReport;
  /** Called after the report changed; returns the unsubscribe. */
  onReportChanged(listener: () => void): () => void;
}
