import type { Database } from 'lmdb';
import { LANES, laneOfFlags, type Lane, type RecordColumns } from '../../records/index.js';
import { encodeSegment, Segment } from './segment-codec.js';
import { putSpans, removeSpans, type Spans } from './spans.js';

/**
 * A segment holds records of one time window only, so a time-range query starts its index scan
 * at the window of `fromMs` and still finds every record at or after it.
 */
export const SEGMENT_WINDOW_MS = 3_600_000;

export type SegmentKey = [gatewayId: string, segment: number];
/** [gatewayId, earliest timestamp, segment]. */
export type SegmentTimeKey = [gatewayId: string, fromMs: number, segment: number];
/** [latest timestamp, lanes held as bits (1 << index in LANES)]. */
export type SegmentTimeValue = [toMs: number, lanes: number];
/** [earliest timestamp of its bulk and alarm records, gatewayId, segment]: what retention may delete. */
export type RawSegmentKey = [fromMs: number, gatewayId: string, segment: number];

export interface SegmentTables {
  segments: Database<Buffer, SegmentKey>;
  spans: Spans;
  byTime: Database<SegmentTimeValue, SegmentTimeKey>;
  rawByTime: Database<true, RawSegmentKey>;
}

export const laneBit = (lane: Lane): number => 1 << LANES.indexOf(lane);
const BILLING = laneBit('billing');

export function windowOf(timestampMs: number): number {
  return Math.floor(timestampMs / SEGMENT_WINDOW_MS);
}

interface Extent {
  fromMs: number;
  toMs: number;
  lanes: number;
  rawFromMs: number;
}

function extentOf(columns: RecordColumns, rows: ArrayLike<number>): Extent {
  const extent: Extent = { fromMs: Infinity, toMs: -Infinity, lanes: 0, rawFromMs: Infinity };
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    const timestampMs = columns.timestamps[r] as number;
    if (timestampMs < extent.fromMs) extent.fromMs = timestampMs;
    if (timestampMs > extent.toMs) extent.toMs = timestampMs;
    const bit = laneBit(laneOfFlags(columns.flags[r] as number));
    extent.lanes |= bit;
    if (bit !== BILLING && timestampMs < extent.rawFromMs) extent.rawFromMs = timestampMs;
  }
  return extent;
}

/** 0, 1, … count - 1: every row of a batch already in order. */
export function allRows(count: number): Uint32Array {
  const rows = new Uint32Array(count);
  for (let i = 0; i < count; i++) rows[i] = i;
  return rows;
}

function putIndexes(tables: SegmentTables, gatewayId: string, segment: number, columns: RecordColumns, rows: ArrayLike<number>): void {
  const extent = extentOf(columns, rows);
  putSpans(tables.spans, gatewayId, Array.from(rows, (r) => columns.sequences[r] as number), segment);
  tables.byTime.putSync([gatewayId, extent.fromMs, segment], [extent.toMs, extent.lanes]);
  if (extent.rawFromMs !== Infinity) tables.rawByTime.putSync([extent.rawFromMs, gatewayId, segment], true);
}

/**
 * Within a write transaction: the records of `columns` at `rows` (ascending sequences, each
 * once, none held, one window) as a new segment.
 */
export function writeSegment(tables: SegmentTables, gatewayId: string, segment: number, columns: RecordColumns, rows: ArrayLike<number>, receivedAtMs: number): void {
  tables.segments.putSync([gatewayId, segment], encodeSegment(columns, rows, receivedAtMs));
  putIndexes(tables, gatewayId, segment, columns, rows);
}

/**
 * Within a write transaction: keeps only the records of `held` whose index `keep` accepts,
 * rewriting the segment and its index entries, or deleting it when none is left.
 */
export function rewriteSegment(tables: SegmentTables, gatewayId: string, segment: number, held: Segment, keep: (index: number) => boolean): void {
  const every = allRows(held.count);
  removeSpans(tables.spans, gatewayId, held.sequences);
  const extent = extentOf(held, every);
  tables.byTime.removeSync([gatewayId, extent.fromMs, segment]);
  if (extent.rawFromMs !== Infinity) tables.rawByTime.removeSync([extent.rawFromMs, gatewayId, segment]);
  const kept = every.filter((i) => keep(i));
  if (kept.length === 0) {
    tables.segments.removeSync([gatewayId, segment]);
    return;
  }
  writeSegment(tables, gatewayId, segment, held, kept, held.receivedAtMs);
}

/** Reads each segment once per operation (segment ids are unique across gateways). */
export class SegmentReader {
  private readonly cache = new Map<number, Segment | undefined>();

  constructor(private readonly segments: Database<Buffer, SegmentKey>) {}

  get(gatewayId: string, segment: number): Segment | undefined {
    if (this.cache.has(segment)) return this.cache.get(segment);
    const bytes = this.segments.get([gatewayId, segment]);
    const read = bytes === undefined ? undefined : new Segment(bytes);
    this.cache.set(segment, read);
    return read;
  }
}
