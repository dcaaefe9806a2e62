import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type DatabaseOptions, type RootDatabase } from 'lmdb';
import { CouplerError, whyNotLmdbFile } from '@coupler/kit';
import { LANES, type Lane, type Reading, type SequencedRecord } from '../records/index.js';
import { EdgeErrorCode } from '../errors.js';
import { decodeRecord, encodeRecord } from './wire-record.js';
import { AcknowledgedDeletes, type SequenceRange } from './acknowledged-deletes.js';
import { pooledBytes } from './pooled-bytes.js';
import { CommitGroup, sequenced, type OneSettled } from './commit-group.js';

export interface BufferOptions {
  dataDir: string;
  gatewayId: string;
  /** Bytes of records the buffer may hold before the drop policy applies (docs/decisions/0005). */
  quotaBytes: number;
  /**
   * Latency budget of commit coalescing (decision 0018): after a commit group of more than one
   * append, the next group starts no sooner than this many ms after it started, so that at a
   * steady rate a wake-up, a transaction and an fdatasync serve more records. A group of one
   * append (a lone device waiting for each PUBACK) never makes the next one wait. 0: off.
   */
  commitIntervalMs?: number;
}

export interface LaneStats {
  records: number;
  bytes: number;
  /** Records of this lane dropped by the quota, ever (persisted). */
  droppedTotal: number;
}

export interface BufferStats {
  records: number;
  bytes: number;
  quotaBytes: number;
  /** Lowest sequence still held (first unacknowledged); 0 when empty. */
  firstSequence: number;
  /** Timestamp of the oldest record still held; undefined when empty. */
  oldestTimestampMs: number | undefined;
  lanes: Record<Lane, LaneStats>;
}

/** A buffered record in its wire encoding, as the sync stream sends it. */
export interface EncodedRecord {
  sequence: number;
  bytes: Uint8Array;
}

/** Consecutive records of one lane in their wire encoding, as one sync batch sends them. */
export interface WireBatch {
  records: Uint8Array[];
  lastSequence: number;
}

export type { SequenceRange } from './acknowledged-deletes.js';

/** A reading numbered by its source: positions only grow (an Arduino: boot count × 2^32 + sequence). */
export interface SourcedReading {
  position: number;
  reading: Reading;
}

export interface RenumberResult {
  /** Records given a new sequence (those of the ranges the buffer still held). */
  renumbered: number;
  /** The counter was at or below the cloud's highest stored sequence and was moved above it. */
  isCounterAdvanced: boolean;
}

export interface SourcedAppendResult {
  records: SequencedRecord[];
  /** Readings at or below the source's last stored position: stored before, so skipped. */
  duplicates: number;
}

interface BufferIdentity {
  format: string;
  formatVersion: number;
  gatewayId: string;
}

interface DbStats {
  entryCount: number;
  pageSize: number;
  treeLeafPageCount: number;
  treeBranchPageCount: number;
  overflowPages: number;
}

const IDENTITY_KEY = 'identity';
/** 2: one tree per lane. 3: records stored in their wire encoding (coupler.sync.v1.Record). */
const BUFFER_FORMAT_VERSION = 3;
const NEXT_SEQUENCE_KEY = 'nextSequence';
const droppedKey = (lane: Lane) => `dropped:${lane}`;
const sourceKey = (source: string) => `source:${source}`;
/** After a drop the buffer is brought this far below its quota, so drops come in batches. */
const QUOTA_LOW_WATER = 0.9;
/** Room for the pages a commit may start in each lane (branch and new leaf pages), over the 2x bound. */
const QUOTA_MEASURE_SLACK = 32_768;
/** The only lane the drop policy may shed (SPEC §3: never billing, never alarms). */
const DROPPABLE_LANE: Lane = 'bulk';

/**
 * The durable queue between the bus and the sync stream: one LMDB environment on disk with a
 * tree per lane. Records are keyed by their sequence number, which is allocated here and never
 * reused (the next one is committed with every write), because the cloud de-duplicates on it.
 */
export class LmdbBuffer {
  private root: RootDatabase | undefined;
  private lanes: Record<Lane, Database<Buffer, number>> | undefined;
  private meta: Database<unknown, string> | undefined;
  private nextSequence = 1;
  private pending = new CommitGroup();
  private readonly sourcesInFlight = new Set<string>();
  private flushTimer: { cancel(): void } | undefined;
  /** When the last commit group started (performance.now()) and how many appends it held. */
  private lastGroupStartedAt = -Infinity;
  private lastGroupAppends = 0;
  /** What the lanes' trees held when last measured, and the record bytes committed since (enforceQuota). */
  private measuredBytes: number | undefined;
  private bytesSinceMeasure = 0;
  /** The commit group being written, if any; the next one waits for it. */
  private committing: Promise<void> | undefined;
  private readonly quotaFailedListeners = new Set<(err: unknown) => void>();
  private readonly appendedListeners = new Set<() => void>();
  private readonly droppedListeners = new Set<(lane: Lane, count: number) => void>();
  private readonly acknowledged = new AcknowledgedDeletes(() => this.opened());

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
      const root = open({ path, maxDbs: 8 });
      this.root = root;
      this.meta = root.openDB<unknown, string>({ name: 'meta' });
      this.lanes = {
        billing: root.openDB<Buffer, number>(laneOptions('lane-billing')),
        alarm: root.openDB<Buffer, number>(laneOptions('lane-alarm')),
        bulk: root.openDB<Buffer, number>(laneOptions('lane-bulk')),
      };
    } catch (err) {
      this.root = undefined;
      throw new CouplerError(EdgeErrorCode.bufferOpen, `cannot open the buffer at ${path}: ${(err as Error).message}; the folder was left as it is`, { cause: err });
    }
    this.checkIdentity(path);
    const { lanes, meta } = this.opened();
    const lastKeys = LANES.map((lane) => {
      const [last = 0] = lanes[lane].getKeys({ reverse: true, limit: 1 });
      return last;
    });
    const stored = meta.get(NEXT_SEQUENCE_KEY);
    this.nextSequence = Math.max(typeof stored === 'number' ? stored : 1, ...lastKeys.map((k) => k + 1));
  }

  /**
   * Sequences and stores readings. Resolves once they are committed and flushed to disk.
   * Appends made in the same event-loop turn are written together: one transaction, one
   * write of the next sequence number, one fsync (group commit).
   */
  append(readings: readonly Reading[]): Promise<SequencedRecord[]> {
    return this.enqueue(readings);
  }

  /**
   * append() for one reading, told through a callback: the bus's path, where a promise and its
   * reactions per message were a measurable share of the CPU. `settled` runs once the record is
   * committed and flushed to disk, in the same group commit as append()'s, or with the error.
   */
  appendOne(reading: Reading, settled: OneSettled): void {
    this.opened();
    this.pending.addOne(sequenced(reading, this.nextSequence++), settled);
    this.scheduleCommit();
  }

  /**
   * Stores the readings of a source that numbers them itself, exactly once: those at or below
   * the source's last stored position are duplicates and skipped, and the new last position is
   * committed in the same transaction as the records. One call per source may be in flight,
   * so that a failed commit can never be hidden behind a later one.
   */
  async appendFromSource(source: string, readings: readonly SourcedReading[]): Promise<SourcedAppendResult> {
    const { meta } = this.opened();
    if (this.sourcesInFlight.has(source)) throw new Error(`an append from source ${source} is already in flight`);
    const stored = meta.get(sourceKey(source));
    let lastPosition = typeof stored === 'number' ? stored : -1;
    const fresh: Reading[] = [];
    for (const { position, reading } of readings) {
      if (position <= lastPosition) continue;
      fresh.push(reading);
      lastPosition = position;
    }
    const duplicates = readings.length - fresh.length;
    if (fresh.length === 0) return { records: [], duplicates };
    this.sourcesInFlight.add(source);
    try {
      return { records: await this.enqueue(fresh, [sourceKey(source), lastPosition]), duplicates };
    } finally {
      this.sourcesInFlight.delete(source);
    }
  }

  /** The last position stored for a source, if any. */
  lastSourcePosition(source: string): number | undefined {
    const stored = this.opened().meta.get(sourceKey(source));
    return typeof stored === 'number' ? stored : undefined;
  }

  private enqueue(readings: readonly Reading[], sourcePosition?: [string, number]): Promise<SequencedRecord[]> {
    this.opened();
    const records = readings.map((reading) => sequenced(reading, this.nextSequence++));
    return new Promise((resolve, reject) => {
      this.pending.add(records, (err, stored) => { if (err) reject(err); else resolve(stored); }, sourcePosition);
      this.scheduleCommit();
    });
  }

  /**
   * Adaptive group commit: a group starts on the next turn when no commit is running, else as
   * soon as the running one is durable. Under load the groups grow with the commit's own
   * latency (hundreds of records each), when quiet a lone record still goes at once.
   */
  private scheduleCommit(): void {
    if (this.committing === undefined) this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    const start = (): void => {
      this.flushTimer = undefined;
      this.committing = this.flushAppends().finally(() => {
        this.committing = undefined;
        if (this.pending.appends > 0 && this.root) this.scheduleFlush();
      });
    };
    // Coalescing (decision 0018): only behind a group that several appends shared, so a device
    // that waits for each PUBACK alone is never slowed down by it.
    const wait = this.lastGroupAppends > 1 ? this.lastGroupStartedAt + (this.options.commitIntervalMs ?? 0) - performance.now() : 0;
    if (wait >= 1) {
      const timer = setTimeout(start, wait);
      this.flushTimer = { cancel: () => { clearTimeout(timer); } };
    } else {
      const immediate = setImmediate(start);
      this.flushTimer = { cancel: () => { clearImmediate(immediate); } };
    }
  }

  private async flushAppends(): Promise<void> {
    const group = this.pending;
    if (group.appends === 0) return;
    this.pending = new CommitGroup();
    this.lastGroupStartedAt = performance.now();
    this.lastGroupAppends = group.appends;
    let committedBytes = 0;
    try {
      const { lanes, meta, root } = this.opened();
      const nextSequence = this.nextSequence;
      // Encoded before the transaction: its callback holds LMDB's write thread while it runs.
      const { records } = group;
      const encoded = records.map((record) => encodeRecord(record));
      // One transaction per group. lmdb's own put() starts a write as soon as a few are
      // outstanding, so a group of puts became several transactions, each with its own
      // native write job and fsync: the largest single cost of the ingest path (decision 0011).
      await root.transaction(() => {
        for (let i = 0; i < records.length; i++) {
          const record = records[i] as SequencedRecord;
          const bytes = encoded[i] as Buffer;
          lanes[record.lane].putSync(record.sequence, bytes);
          committedBytes += bytes.length;
        }
        for (const sourcePosition of group.sourcePositions) meta.putSync(...sourcePosition);
        meta.putSync(NEXT_SEQUENCE_KEY, nextSequence);
      });
      await root.flushed;
    } catch (err) {
      const error = new CouplerError(EdgeErrorCode.bufferWrite, `buffer write failed: ${(err as Error).message}`, { cause: err });
      group.settle(error);
      return;
    }
    for (const listener of this.appendedListeners) listener();
    try {
      await this.enforceQuota(committedBytes);
    } catch (err) {
      // The records are durable; a failed drop only leaves the buffer over its quota until the next commit.
      for (const listener of this.quotaFailedListeners) listener(err);
    }
    group.settle(null);
  }

  /**
   * Moves the sequence counter above the highest sequence the cloud holds for this gateway, when
   * it is not already (the buffer was restored from an older backup or lost): new records then
   * never take a sequence the cloud holds. Durable when it resolves; true when it moved.
   */
  async advanceSequence(highestStoredSequence: number): Promise<boolean> {
    const { meta, root } = this.opened();
    if (this.nextSequence > highestStoredSequence) return false;
    this.nextSequence = highestStoredSequence + 1;
    await meta.put(NEXT_SEQUENCE_KEY, this.nextSequence);
    await root.flushed;
    return true;
  }

  /**
   * Gives the records held under `ranges` (the cloud holds other records under those sequences)
   * new sequences above both the counter and `highestStoredSequence`, in their old order, so the
   * order within each lane is kept among them. One transaction moves the records, re-encoded with
   * their new sequence, and the counter: a crash leaves either all old or all new numbers.
   * Source positions (appendFromSource) are not sequences and stay as they are.
   */
  async renumber(ranges: readonly SequenceRange[], highestStoredSequence: number): Promise<RenumberResult> {
    const { lanes, meta, root } = this.opened();
    const result = await root.transaction(() => {
      const held: { lane: Lane; sequence: number; bytes: Buffer }[] = [];
      for (const lane of LANES) {
        for (const range of ranges) {
          for (const { key, value } of lanes[lane].getRange({ start: range.first, end: range.last + 1 })) held.push({ lane, sequence: key, bytes: value });
        }
      }
      const isCounterAdvanced = this.nextSequence <= highestStoredSequence;
      if (isCounterAdvanced) this.nextSequence = highestStoredSequence + 1;
      held.sort((a, b) => a.sequence - b.sequence);
      for (const { lane, sequence, bytes } of held) {
        const renumbered = { ...decodeRecord(bytes), sequence: this.nextSequence++ };
        lanes[lane].removeSync(sequence);
        lanes[lane].putSync(renumbered.sequence, encodeRecord(renumbered));
      }
      meta.putSync(NEXT_SEQUENCE_KEY, this.nextSequence);
      return { renumbered: held.length, isCounterAdvanced };
    });
    await root.flushed;
    if (result.renumbered > 0) for (const listener of this.appendedListeners) listener();
    return result;
  }

  /** Up to `limit` records of one lane with a sequence greater than `afterSequence`, oldest first. */
  recordsAfter(lane: Lane, afterSequence: number, limit: number): SequencedRecord[] {
    return this.encodedAfter(lane, afterSequence, limit).map(({ bytes }) => decodeRecord(bytes));
  }

  /**
   * The sync stream's next batch of one lane: the records' wire encodings and the last sequence,
   * nothing decoded and no object per record; undefined when the lane holds nothing after it.
   */
  batchAfter(lane: Lane, afterSequence: number, limit: number): WireBatch | undefined {
    const records: Uint8Array[] = [];
    let lastSequence = afterSequence;
    for (const { key, value } of this.opened().lanes[lane].getRange({ start: afterSequence + 1, limit })) {
      records.push(value);
      lastSequence = key;
    }
    return records.length > 0 ? { records, lastSequence } : undefined;
  }

  /** The same records in their wire encoding, each with its sequence: nothing is decoded. */
  encodedAfter(lane: Lane, afterSequence: number, limit: number): EncodedRecord[] {
    const { lanes } = this.opened();
    return Array.from(lanes[lane].getRange({ start: afterSequence + 1, limit }), ({ key, value }) => ({ sequence: key, bytes: value }));
  }

  /**
   * Deletes acknowledged records; durable when it resolves. `lane`, when given, is the one lane
   * holding them (a sync batch's), else every lane is searched. Deletions asked for while one
   * commits are grouped into the next transaction.
   */
  acknowledge(ranges: readonly SequenceRange[], lane?: Lane): Promise<number> {
    return this.acknowledged.delete(ranges, lane);
  }

  onAppended(listener: () => void): () => void {
    this.appendedListeners.add(listener);
    return () => this.appendedListeners.delete(listener);
  }

  /** Told when the drop policy could not run; the records themselves are safe. */
  onQuotaFailed(listener: (err: unknown) => void): () => void {
    this.quotaFailedListeners.add(listener);
    return () => this.quotaFailedListeners.delete(listener);
  }

  onDropped(listener: (lane: Lane, count: number) => void): () => void {
    this.droppedListeners.add(listener);
    return () => this.droppedListeners.delete(listener);
  }

  stats(): BufferStats {
    const { lanes, meta } = this.opened();
    let records = 0;
    let bytes = 0;
    let firstSequence = 0;
    let oldestTimestampMs: number | undefined;
    const perLane = {} as Record<Lane, LaneStats>;
    for (const lane of LANES) {
      const db = lanes[lane];
      const stats = db.getStats() as DbStats;
      const laneBytes = (stats.treeLeafPageCount + stats.treeBranchPageCount + stats.overflowPages) * stats.pageSize;
      const dropped = meta.get(droppedKey(lane));
      perLane[lane] = { records: stats.entryCount, bytes: laneBytes, droppedTotal: typeof dropped === 'number' ? dropped : 0 };
      records += stats.entryCount;
      bytes += laneBytes;
      const [first] = db.getRange({ limit: 1 });
      if (first) {
        firstSequence = firstSequence === 0 ? first.key : Math.min(firstSequence, first.key);
        oldestTimestampMs = Math.min(oldestTimestampMs ?? Infinity, decodeRecord(first.value).timestampMs);
      }
    }
    return { records, bytes, quotaBytes: this.options.quotaBytes, firstSequence, oldestTimestampMs, lanes: perLane };
  }

  isOpen(): boolean {
    return this.root !== undefined;
  }

  async close(): Promise<void> {
    // Every append made before close() is committed (or told why not) before the file closes.
    for (;;) {
      if (this.flushTimer) {
        this.flushTimer.cancel();
        this.flushTimer = undefined;
      }
      if (this.committing) await this.committing;
      else if (this.acknowledged.isRunning()) await this.acknowledged.settled();
      else if (this.pending.appends > 0) await this.flushAppends();
      else break;
    }
    const root = this.root;
    this.root = undefined;
    this.lanes = undefined;
    this.meta = undefined;
    if (root) await root.close();
  }

  /**
   * Drop policy (docs/decisions/0005): over the quota, the oldest bulk records go first, in one
   * transaction, until the buffer is back under 90% of it. Billing and alarm records are never
   * dropped, even when they alone pass the quota. Every drop is counted per lane and persisted.
   */
  private async enforceQuota(committedBytes: number): Promise<void> {
    // Measuring the trees (three getStats) after every commit was 8% of the CPU at 10,000 msg/s
    // in small groups. A record takes at most about twice its size in pages (half-full leaves
    // after a split; whole overflow pages for a large one), so the trees are measured only when
    // that bound, from the last measure, could pass the quota.
    this.bytesSinceMeasure += committedBytes;
    const bound = (this.measuredBytes ?? Infinity) + 2 * this.bytesSinceMeasure + QUOTA_MEASURE_SLACK;
    if (bound <= this.options.quotaBytes) return;
    this.measuredBytes = this.usedBytes();
    this.bytesSinceMeasure = 0;
    if (this.measuredBytes <= this.options.quotaBytes) return;
    this.measuredBytes = undefined;
    const stats = this.stats();
    const { lanes, meta, root } = this.opened();
    const bulk = stats.lanes[DROPPABLE_LANE];
    if (bulk.records === 0) return;
    const bytesPerRecord = bulk.bytes / bulk.records;
    const excess = stats.bytes - this.options.quotaBytes * QUOTA_LOW_WATER;
    const toDrop = Math.min(bulk.records, Math.ceil(excess / bytesPerRecord));
    const dropped = await root.transaction(() => {
      let count = 0;
      for (const key of lanes[DROPPABLE_LANE].getKeys({ limit: toDrop })) {
        lanes[DROPPABLE_LANE].removeSync(key);
        count++;
      }
      meta.putSync(droppedKey(DROPPABLE_LANE), bulk.droppedTotal + count);
      return count;
    });
    await root.flushed;
    for (const listener of this.droppedListeners) listener(DROPPABLE_LANE, dropped);
  }

  private usedBytes(): number {
    const { lanes } = this.opened();
    return LANES.reduce((sum, lane) => {
      const stats = lanes[lane].getStats() as DbStats;
      return sum + (stats.treeLeafPageCount + stats.treeBranchPageCount + stats.overflowPages) * stats.pageSize;
    }, 0);
  }

  private checkIdentity(path: string): void {
    const { meta } = this.opened();
    const identity = meta.get(IDENTITY_KEY) as BufferIdentity | undefined;
    if (identity === undefined) {
      meta.putSync(IDENTITY_KEY, { format: 'coupler-edge-buffer', formatVersion: BUFFER_FORMAT_VERSION, gatewayId: this.options.gatewayId } satisfies BufferIdentity);
      return;
    }
    if (identity.format !== 'coupler-edge-buffer' || identity.gatewayId !== this.options.gatewayId) {
      const owner = identity.format === 'coupler-edge-buffer' ? `gateway ${identity.gatewayId}` : 'another program';
      void this.close();
      throw new CouplerError(EdgeErrorCode.bufferOpen, `the buffer at ${path} belongs to ${owner}, not gateway ${this.options.gatewayId}; it was left untouched: move it away or fix gateway.id`);
    }
    if (identity.formatVersion !== BUFFER_FORMAT_VERSION) {
      void this.close();
      throw new CouplerError(EdgeErrorCode.bufferOpen, `the buffer at ${path} has format ${identity.formatVersion}, this version reads format ${BUFFER_FORMAT_VERSION}; it was left untouched`);
    }
  }

  private opened(): { root: RootDatabase; lanes: Record<Lane, Database<Buffer, number>>; meta: Database<unknown, string> } {
    if (!this.root || !this.lanes || !this.meta) throw new Error('buffer is not open');
    return { root: this.root, lanes: this.lanes, meta: this.meta };
  }
}

/** lmdb-js takes a custom value `encoder` at runtime; its typings do not list the option. */
function laneOptions(name: string): DatabaseOptions & { name: string } {
  return { name, encoder: pooledBytes } as DatabaseOptions & { name: string };
}

