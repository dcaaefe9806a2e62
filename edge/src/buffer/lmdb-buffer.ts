import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { CouplerError, whyNotLmdbFile } from '@coupler/kit';
import type { Reading, SequencedRecord } from '../records/index.js';
import { EdgeErrorCode } from '../errors.js';

export interface BufferOptions {
  dataDir: string;
  gatewayId: string;
}

export interface BufferStats {
  records: number;
  bytes: number;
  /** Lowest sequence still held (first unacknowledged); 0 when empty. */
  firstSequence: number;
  /** Timestamp of the oldest record still held; undefined when empty. */
  oldestTimestampMs: number | undefined;
}

export interface SequenceRange {
  first: number;
  last: number;
}

interface BufferIdentity {
  format: string;
  formatVersion: number;
  gatewayId: string;
}

const IDENTITY_KEY = 'identity';
const NEXT_SEQUENCE_KEY = 'nextSequence';

/**
 * The durable queue between the bus and the sync stream: one LMDB environment on disk.
 * Records are keyed by their sequence number, which is allocated here and never reused
 * (the next one is committed with every write), because the cloud de-duplicates on it.
 */
export class LmdbBuffer {
  private root: RootDatabase | undefined;
  private records: Database<SequencedRecord, number> | undefined;
  private meta: Database<unknown, string> | undefined;
  private nextSequence = 1;
  private readonly appendedListeners = new Set<() => void>();

  constructor(private readonly options: BufferOptions) {}

  open(): void {
    if (this.root) return;
    const path = join(this.options.dataDir, 'buffer.mdb');
    const notLmdb = whyNotLmdbFile(path);
    if (notLmdb !== undefined) {
      throw new CouplerError(EdgeErrorCode.bufferOpen, `cannot open the buffer at ${path}: ${notLmdb}; the folder was left as it is`);
    }
    try {
      mkdirSync(this.options.dataDir, { recursive: true });
      const root = open({ path, maxDbs: 4 });
      this.root = root;
      this.records = root.openDB<SequencedRecord, number>({ name: 'records' });
      this.meta = root.openDB<unknown, string>({ name: 'meta' });
    } catch (err) {
      this.root = undefined;
      throw new CouplerError(EdgeErrorCode.bufferOpen, `cannot open the buffer at ${path}: ${(err as Error).message}; the folder was left as it is`, { cause: err });
    }
    this.checkIdentity(path);
    const [lastKey = 0] = this.records.getKeys({ reverse: true, limit: 1 });
    const stored = this.meta.get(NEXT_SEQUENCE_KEY);
    this.nextSequence = Math.max(typeof stored === 'number' ? stored : 1, lastKey + 1);
  }

  /**
   * Sequences and stores readings. Resolves once they are committed and flushed to disk.
   * Calls made in the same event-loop turn share one transaction and one fsync.
   */
  async append(readings: readonly Reading[]): Promise<SequencedRecord[]> {
    const { records, meta, root } = this.opened();
    const sequenced = readings.map((reading) => ({ ...reading, sequence: this.nextSequence++ }));
    for (const record of sequenced) void records.put(record.sequence, record);
    const committed = meta.put(NEXT_SEQUENCE_KEY, this.nextSequence);
    try {
      await committed;
      await root.flushed;
    } catch (err) {
      throw new CouplerError(EdgeErrorCode.bufferWrite, `buffer write failed: ${(err as Error).message}`, { cause: err });
    }
    for (const listener of this.appendedListeners) listener();
    return sequenced;
  }

  /** Up to `limit` records with a sequence greater than `afterSequence`, oldest first. */
  recordsAfter(afterSequence: number, limit: number): SequencedRecord[] {
    const { records } = this.opened();
    return Array.from(records.getRange({ start: afterSequence + 1, limit }), ({ value }) => value);
  }

  /** Deletes acknowledged records; durable when it resolves. */
  async acknowledge(ranges: readonly SequenceRange[]): Promise<number> {
    const { records, root } = this.opened();
    const removed = await records.transaction(() => {
      let count = 0;
      for (const range of ranges) {
        for (const key of records.getKeys({ start: range.first, end: range.last + 1 })) {
          records.removeSync(key);
          count++;
        }
      }
      return count;
    });
    await root.flushed;
    return removed;
  }

  onAppended(listener: () => void): () => void {
    this.appendedListeners.add(listener);
    return () => this.appendedListeners.delete(listener);
  }

  stats(): BufferStats {
    const { records } = this.opened();
    const [first] = records.getRange({ limit: 1 });
    const stats = records.getStats() as { entryCount: number; pageSize: number; treeLeafPageCount: number; treeBranchPageCount: number; overflowPages: number };
    return {
      records: stats.entryCount,
      bytes: (stats.treeLeafPageCount + stats.treeBranchPageCount + stats.overflowPages) * stats.pageSize,
      firstSequence: first?.key ?? 0,
      oldestTimestampMs: first?.value.timestampMs,
    };
  }

  isOpen(): boolean {
    return this.root !== undefined;
  }

  async close(): Promise<void> {
    const root = this.root;
    this.root = undefined;
    this.records = undefined;
    this.meta = undefined;
    if (root) await root.close();
  }

  private checkIdentity(path: string): void {
    const { meta } = this.opened();
    const identity = meta.get(IDENTITY_KEY) as BufferIdentity | undefined;
    if (identity === undefined) {
      meta.putSync(IDENTITY_KEY, { format: 'coupler-edge-buffer', formatVersion: 1, gatewayId: this.options.gatewayId } satisfies BufferIdentity);
      return;
    }
    if (identity.format !== 'coupler-edge-buffer' || identity.gatewayId !== this.options.gatewayId) {
      const owner = identity.format === 'coupler-edge-buffer' ? `gateway ${identity.gatewayId}` : 'another program';
      void this.close();
      throw new CouplerError(EdgeErrorCode.bufferOpen, `the buffer at ${path} belongs to ${owner}, not gateway ${this.options.gatewayId}; it was left untouched: move it away or fix gateway.id`);
    }
  }

  private opened(): { root: RootDatabase; records: Database<SequencedRecord, number>; meta: Database<unknown, string> } {
    if (!this.root || !this.records || !this.meta) throw new Error('buffer is not open');
    return { root: this.root, records: this.records, meta: this.meta };
  }
}
