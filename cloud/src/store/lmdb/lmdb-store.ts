import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { CouplerError, errorMessage, whyNotLmdbFile } from '@coupler/kit';
import { CloudErrorCode } from '../../errors.js';
import { isSameContentAt, RecordColumns, type StoredRecord, type TelemetryRecord, type TimeRangeQuery } from '../../records/index.js';
import type {
  GatewaySummary,
  ListRecordsOptions,
  StoreResult,
  TelemetryStore,
} from '../store.js';
import { migrateFromRecordKeys } from './migrate-v1.js';
import type { Segment } from './segment-codec.js';
import {
  allRows,
  laneBit,
  rewriteSegment,
  SEGMENT_WINDOW_MS,
  SegmentReader,
  windowOf,
  writeSegment,
  type RawSegmentKey,
  type SegmentKey,
  type SegmentTables,
  type SegmentTimeKey,
  type SegmentTimeValue,
} from './segments.js';
import { Smallest } from './smallest.js';
import { heldSegments, highestHeld, spansFrom, type SpanKey, type SpanValue } from './spans.js';

export interface LmdbStoreOptions {
  dataDir: string;
}

interface GatewayState {
  lastSeenMs: number;
  records: number;
}
interface StoreIdentity {
  format: 'coupler-cloud-telemetry';
  formatVersion: number;
}

const FILE_NAME = 'telemetry.mdb';
const IDENTITY_KEY = 'identity';
/** 1: a record under its own key with two time indexes; 2: records in segments (decision 0013). */
const FORMAT_VERSION = 2;
const IDENTITY: StoreIdentity = { format: 'coupler-cloud-telemetry', formatVersion: FORMAT_VERSION };
const NEXT_SEGMENT_KEY = 'nextSegment';

interface Opened extends SegmentTables {
  root: RootDatabase;
  meta: Database<unknown, string>;
  gateways: Database<GatewayState, string>;
}

/** A record found by a query or by retention: where it is, and what orders it. */
interface Found {
  timestampMs: number;
  sequence: number;
  segment: Segment;
  index: number;
}

interface Doomed {
  gatewayId: string;
  segmentId: number;
  segment: Segment;
  doomed: Set<number>;
}

const byTimeThenSequence = (a: Found, b: Found): number => a.timestampMs - b.timestampMs || a.sequence - b.sequence;

/** The batch's rows in ascending sequence order; copies of one sequence keep their order in the batch. */
function inSequenceOrder(sequences: Float64Array): Uint32Array {
  const rows = allRows(sequences.length);
  for (let i = 1; i < sequences.length; i++) {
    if ((sequences[i - 1] as number) > (sequences[i] as number)) return rows.sort((a, b) => (sequences[a] as number) - (sequences[b] as number) || a - b);
  }
  return rows;
}

function isStrictlyAscending(sequences: readonly number[]): boolean {
  for (let i = 1; i < sequences.length; i++) if ((sequences[i - 1] as number) >= (sequences[i] as number)) return false;
  return true;
}

/**
 * The embedded store: one LMDB environment. Each stored batch is a segment, one value per time
 * window it touches (usually one), keyed by [gatewayId, segment id]; its records are columns in
 * sequence order (segment-codec.ts). Three small indexes per segment serve the rest: the runs of
 * consecutive sequences it holds (de-duplication, listing in sequence order, highest sequence),
 * its time extent per gateway (queries) and its earliest raw timestamp (retention). A
 * per-gateway summary (count, last seen) is written in the same transaction and mirrored in
 * memory, so counts are O(1).
 */
export class LmdbTelemetryStore implements TelemetryStore {
  private opened: Opened | undefined;
  private readonly gatewayStates = new Map<string, GatewayState>();
  private nextSegment = 1;
  private totalRecords = 0;

  constructor(private readonly options: LmdbStoreOptions) {}

  get path(): string {
    return join(this.options.dataDir, FILE_NAME);
  }

  async open(): Promise<void> {
    if (this.opened) return;
    const path = this.path;
    const refuse = (reason: string, cause?: unknown): CouplerError =>
      new CouplerError(
        CloudErrorCode.storeOpen,
        `cannot open the telemetry store at ${path}: ${reason}; nothing was changed or deleted`,
        {
          cause,
          details: { path },
        },
      );
    try {
      mkdirSync(this.options.dataDir, { recursive: true });
    } catch (err) {
      throw refuse(`cannot create the folder ${this.options.dataDir}: ${errorMessage(err)}`, err);
    }
    const problem = whyNotLmdbFile(path);
    if (problem !== undefined) throw refuse(problem);
    let root: RootDatabase | undefined;
    try {
      root = open({ path, maxDbs: 16 });
      const meta = root.openDB<unknown, string>({ name: 'meta' });
      const identity = meta.get(IDENTITY_KEY) as Partial<StoreIdentity> | undefined;
      if (identity !== undefined && identity.format !== IDENTITY.format) {
        throw refuse(`it belongs to another program (${String(identity.format)})`);
      }
      if (identity !== undefined && identity.formatVersion !== FORMAT_VERSION && identity.formatVersion !== 1) {
        throw refuse(
          `it has format ${String(identity.formatVersion)}, this version reads format ${FORMAT_VERSION} (and converts format 1); ` +
            'open it with the Coupler version that wrote it, or move the folder away to start an empty store',
        );
      }
      const opened: Opened = {
        root,
        meta,
        gateways: root.openDB<GatewayState, string>({ name: 'gateways' }),
        segments: root.openDB<Buffer, SegmentKey>({ name: 'segments', encoding: 'binary' }),
        spans: root.openDB<SpanValue, SpanKey>({ name: 'segment-spans' }),
        byTime: root.openDB<SegmentTimeValue, SegmentTimeKey>({ name: 'segments-by-time' }),
        rawByTime: root.openDB<true, RawSegmentKey>({ name: 'raw-segments-by-time' }),
      };
      this.nextSegment = (meta.get(NEXT_SEGMENT_KEY) as number | undefined) ?? 1;
      if (identity?.formatVersion === 1) {
        // Format 1 kept each record under its own key: converted once, in chunks, before serving.
        try {
          this.nextSegment = await migrateFromRecordKeys(root, opened, this.nextSegment, NEXT_SEGMENT_KEY);
        } catch (err) {
          throw new CouplerError(
            CloudErrorCode.storeOpen,
            `cannot open the telemetry store at ${path}: converting it from format 1 failed (${errorMessage(err)}); ` +
              'the records converted so far are kept and the next start goes on where this one stopped',
            { cause: err, details: { path } },
          );
        }
      }
      if (identity?.formatVersion !== FORMAT_VERSION) await meta.put(IDENTITY_KEY, IDENTITY);
      this.loadGatewayStates(opened);
      this.opened = opened;
    } catch (err) {
      await root?.close();
      throw err instanceof CouplerError ? err : refuse(errorMessage(err), err);
    }
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    this.gatewayStates.clear();
    this.totalRecords = 0;
    if (opened) await opened.root.close();
  }

  isOpen(): boolean {
    return this.opened !== undefined;
  }

  storeRecords(gatewayId: string, records: readonly TelemetryRecord[], receivedAtMs: number): Promise<StoreResult> {
    return this.storeColumns(gatewayId, RecordColumns.fromRecords(records), receivedAtMs);
  }

  async storeColumns(gatewayId: string, columns: RecordColumns, receivedAtMs: number): Promise<StoreResult> {
    const opened = this.requireOpen();
    let result: { result: StoreResult; state: GatewayState };
    try {
      result = await opened.segments.transaction(() => {
        const batch = this.placeBatch(opened, gatewayId, columns);
        const byWindow = new Map<number, number[]>();
        for (const row of batch.fresh) {
          const window = windowOf(columns.timestamps[row] as number);
          const inWindow = byWindow.get(window);
          if (inWindow) inWindow.push(row);
          else byWindow.set(window, [row]);
        }
        for (const rows of byWindow.values()) writeSegment(opened, gatewayId, this.nextSegment++, columns, rows, receivedAtMs);
        if (byWindow.size > 0) opened.meta.putSync(NEXT_SEGMENT_KEY, this.nextSegment);
        const previous = opened.gateways.get(gatewayId);
        const state: GatewayState = {
          records: (previous?.records ?? 0) + batch.fresh.length,
          lastSeenMs: Math.max(previous?.lastSeenMs ?? 0, receivedAtMs),
        };
        opened.gateways.putSync(gatewayId, state);
        return {
          result: {
            stored: batch.fresh.length,
            duplicates: batch.duplicates,
            conflicting: batch.conflicting,
            highestSequence: highestHeld(opened.spans, gatewayId),
          },
          state,
        };
      });
      // lmdb-js: `flushed` resolves once previous commits are synced to disk; only then is
      // the batch durable and may be acknowledged.
      await opened.root.flushed;
    } catch (err) {
      throw new CouplerError(
        CloudErrorCode.storeWrite,
        `cannot write to the telemetry store at ${this.path}: ${errorMessage(err)}`,
        {
          cause: err,
        },
      );
    }
    const before = this.gatewayStates.get(gatewayId)?.records ?? 0;
    this.totalRecords += result.state.records - before;
    this.gatewayStates.set(gatewayId, result.state);
    return result.result;
  }

  /**
   * Inside the write transaction: which of the batch's rows are new (in ascending sequence
   * order, each sequence once), how many repeat a held record (or an earlier copy in the
   * batch) with the same content, and which sequences collide with other content (decision 0009).
   */
  private placeBatch(opened: Opened, gatewayId: string, columns: RecordColumns): { fresh: Uint32Array | number[]; duplicates: number; conflicting: number[] } {
    const ordered = inSequenceOrder(columns.sequences);
    const sequences = Array.from(ordered, (row) => columns.sequences[row] as number);
    const held = heldSegments(opened.spans, gatewayId, sequences);
    const conflicting: number[] = [];
    let duplicates = 0;
    if (held.size === 0 && isStrictlyAscending(sequences)) return { fresh: ordered, duplicates, conflicting };
    const fresh: number[] = [];
    const reader = new SegmentReader(opened.segments);
    // The record each later copy of a sequence is compared with: the held one, or the batch's first copy.
    let reference: { columns: RecordColumns; row: number } = { columns, row: 0 };
    for (let i = 0; i < ordered.length; i++) {
      const row = ordered[i] as number;
      const sequence = sequences[i] as number;
      if (i === 0 || sequences[i - 1] !== sequence) {
        const segmentId = held.get(sequence);
        const segment = segmentId === undefined ? undefined : reader.get(gatewayId, segmentId);
        const index = segment ? segment.indexOf(sequence) : -1;
        if (segment && index >= 0) {
          reference = { columns: segment, row: index };
        } else {
          reference = { columns, row };
          fresh.push(row);
          continue;
        }
      }
      if (isSameContentAt(reference.columns, reference.row, columns, row)) duplicates++;
      else if (conflicting.at(-1) !== sequence) conflicting.push(sequence);
    }
    return { fresh, duplicates, conflicting };
  }

  highestSequence(gatewayId: string): Promise<number> {
    return Promise.resolve(highestHeld(this.requireOpen().spans, gatewayId));
  }

  countRecords(gatewayId?: string): Promise<number> {
    this.requireOpen();
    if (gatewayId === undefined) return Promise.resolve(this.totalRecords);
    return Promise.resolve(this.gatewayStates.get(gatewayId)?.records ?? 0);
  }

  listRecords(gatewayId: string, options: ListRecordsOptions = {}): Promise<StoredRecord[]> {
    const { spans, segments } = this.requireOpen();
    const limit = options.limit ?? Infinity;
    const from = options.fromSequence ?? 0;
    const found: StoredRecord[] = [];
    if (limit <= 0) return Promise.resolve(found);
    const reader = new SegmentReader(segments);
    // Runs of held sequences are disjoint and ordered: walking them lists in sequence order.
    for (const run of spansFrom(spans, gatewayId, from)) {
      const segment = reader.get(gatewayId, run.segment);
      if (!segment) continue;
      const first = Math.max(run.first, from);
      const start = segment.indexOf(first);
      if (start < 0) continue;
      for (let i = start; i <= start + (run.last - first); i++) {
        found.push(segment.stored(i, gatewayId));
        if (found.length >= limit) return Promise.resolve(found);
      }
    }
    return Promise.resolve(found);
  }

  listGateways(): Promise<GatewaySummary[]> {
    this.requireOpen();
    return Promise.resolve(
      Array.from(this.gatewayStates, ([gatewayId, state]) => ({ gatewayId, ...state })).sort(
        (a, b) => (a.gatewayId < b.gatewayId ? -1 : a.gatewayId > b.gatewayId ? 1 : 0),
      ),
    );
  }

  queryRecords(gatewayId: string, query: TimeRangeQuery): Promise<StoredRecord[]> {
    const { segments, byTime } = this.requireOpen();
    if (query.limit <= 0) return Promise.resolve([]);
    const lanes = query.lanes ? query.lanes.reduce((bits, lane) => bits | laneBit(lane), 0) : -1;
    const after = query.after && query.after.timestampMs >= query.fromMs ? query.after : undefined;
    const fromMs = after?.timestampMs ?? query.fromMs;
    const reader = new SegmentReader(segments);
    const found = new Smallest<Found>(query.limit, byTimeThenSequence);
    // Segments come by earliest timestamp; one starting after the limit-th record found so far
    // cannot hold an earlier one.
    const range = byTime.getRange({ start: [gatewayId, windowOf(fromMs) * SEGMENT_WINDOW_MS], end: [gatewayId, query.toMs] });
    for (const { key, value } of range) {
      const [, segmentFromMs, segmentId] = key;
      if (found.isFull((last) => segmentFromMs > last.timestampMs)) break;
      const [segmentToMs, segmentLanes] = value;
      if (segmentToMs < fromMs || (segmentLanes & lanes) === 0) continue;
      const segment = reader.get(gatewayId, segmentId);
      if (!segment) continue;
      for (let i = 0; i < segment.count; i++) {
        const timestampMs = segment.timestamps[i] as number;
        if (timestampMs < fromMs || timestampMs >= query.toMs) continue;
        const sequence = segment.sequences[i] as number;
        if (after && timestampMs === after.timestampMs && sequence <= after.sequence) continue;
        if ((laneBit(segment.lane(i)) & lanes) === 0) continue;
        if (query.deviceId !== undefined && segment.deviceId(i) !== query.deviceId) continue;
        found.add({ timestampMs, sequence, segment, index: i });
      }
    }
    return Promise.resolve(found.result().map((f) => f.segment.stored(f.index, gatewayId)));
  }

  async deleteRawRecordsBefore(beforeMs: number, limit: number): Promise<number> {
    const opened = this.requireOpen();
    if (limit <= 0) return 0;
    let changed: { states: Map<string, GatewayState>; deleted: number };
    try {
      changed = await opened.segments.transaction(() => {
        const perGateway = new Map<string, number>();
        for (const { gatewayId, segmentId, segment, doomed } of this.oldestRaw(opened, beforeMs, limit).values()) {
          rewriteSegment(opened, gatewayId, segmentId, segment, (i) => !doomed.has(i));
          perGateway.set(gatewayId, (perGateway.get(gatewayId) ?? 0) + doomed.size);
        }
        const states = new Map<string, GatewayState>();
        let deleted = 0;
        for (const [gatewayId, count] of perGateway) {
          const previous = opened.gateways.get(gatewayId) ?? { lastSeenMs: 0, records: count };
          const state = { ...previous, records: Math.max(0, previous.records - count) };
          opened.gateways.putSync(gatewayId, state);
          states.set(gatewayId, state);
          deleted += count;
        }
        return { states, deleted };
      });
      await opened.root.flushed;
    } catch (err) {
      throw new CouplerError(
        CloudErrorCode.storeWrite,
        `cannot delete from the telemetry store at ${this.path}: ${errorMessage(err)}`,
        { cause: err },
      );
    }
    for (const [gatewayId, state] of changed.states) {
      this.totalRecords -= (this.gatewayStates.get(gatewayId)?.records ?? 0) - state.records;
      this.gatewayStates.set(gatewayId, state);
    }
    return changed.deleted;
  }

  /** The `limit` oldest bulk and alarm records before `beforeMs` (by timestamp, gateway, sequence), by segment. */
  private oldestRaw(opened: Opened, beforeMs: number, limit: number): Map<number, Doomed> {
    const reader = new SegmentReader(opened.segments);
    const oldest = new Smallest<Found & { gatewayId: string; segmentId: number }>(limit, (a, b) =>
      a.timestampMs - b.timestampMs || (a.gatewayId < b.gatewayId ? -1 : a.gatewayId > b.gatewayId ? 1 : 0) || a.sequence - b.sequence,
    );
    for (const [segmentFromMs, gatewayId, segmentId] of opened.rawByTime.getKeys({ end: [beforeMs] })) {
      if (oldest.isFull((last) => segmentFromMs > last.timestampMs)) break;
      const segment = reader.get(gatewayId, segmentId);
      if (!segment) continue;
      for (let i = 0; i < segment.count; i++) {
        const timestampMs = segment.timestamps[i] as number;
        if (timestampMs >= beforeMs || segment.lane(i) === 'billing') continue;
        oldest.add({ timestampMs, sequence: segment.sequences[i] as number, segment, index: i, gatewayId, segmentId });
      }
    }
    const bySegment = new Map<number, Doomed>();
    for (const { gatewayId, segmentId, segment, index } of oldest.result()) {
      const doomed = bySegment.get(segmentId) ?? { gatewayId, segmentId, segment, doomed: new Set<number>() };
      doomed.doomed.add(index);
      bySegment.set(segmentId, doomed);
    }
    return bySegment;
  }

  private loadGatewayStates(opened: Opened): void {
    this.gatewayStates.clear();
    this.totalRecords = 0;
    for (const { key, value } of opened.gateways.getRange()) {
      this.gatewayStates.set(key, value);
      this.totalRecords += value.records;
    }
  }

  private requireOpen(): Opened {
    if (!this.opened) throw new Error('the telemetry store is not open');
    return this.opened;
  }
}

export function createLmdbTelemetryStore(options: LmdbStoreOptions): LmdbTelemetryStore {
  return new LmdbTelemetryStore(options);
}
