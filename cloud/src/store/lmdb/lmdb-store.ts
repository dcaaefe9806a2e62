import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { CouplerError, errorMessage, whyNotLmdbFile } from '@coupler/kit';
import { CloudErrorCode } from '../../errors.js';
import { isSameContent, type Lane, type StoredRecord, type TelemetryRecord, type TimeRangeQuery } from '../../records/index.js';
import type {
  GatewaySummary,
  ListRecordsOptions,
  StoreResult,
  TelemetryStore,
} from '../store.js';
import { buildTimeIndexes, type RawTimeKey, type TimeKey, type TimeValue } from './time-index.js';

export interface LmdbStoreOptions {
  dataDir: string;
}

type RecordKey = [gatewayId: string, sequence: number];
type RecordValue = Omit<StoredRecord, 'gatewayId' | 'sequence'>;
interface GatewayState {
  lastSeenMs: number;
  records: number;
}
interface StoreIdentity {
  format: 'coupler-cloud-telemetry';
  formatVersion: 1;
}

const FILE_NAME = 'telemetry.mdb';
const IDENTITY_KEY = 'identity';
const IDENTITY: StoreIdentity = { format: 'coupler-cloud-telemetry', formatVersion: 1 };
// Above every sequence (they stay below 2^53, docs/decisions/0003): the end of one gateway's keys.
const END_OF_GATEWAY = Number.MAX_VALUE;

interface Opened {
  root: RootDatabase;
  records: Database<RecordValue, RecordKey>;
  gateways: Database<GatewayState, string>;
  byTime: Database<TimeValue, TimeKey>;
  rawByTime: Database<true, RawTimeKey>;
}

/** A batch spanning more sequences than this many per record is checked record by record. */
const MAX_SCAN_PER_RECORD = 4;

/**
 * The sequences of the batch the store may already hold: one scan of the gateway's keys across
 * the batch's span instead of one read per record, which a new batch (the usual case) makes
 * empty. A sparse batch gets every sequence (each is then read).
 */
function heldSequences(db: Database<RecordValue, RecordKey>, gatewayId: string, records: readonly TelemetryRecord[]): Set<number> {
  if (records.length === 0) return new Set();
  let first = Infinity;
  let last = -Infinity;
  for (const { sequence } of records) {
    first = Math.min(first, sequence);
    last = Math.max(last, sequence);
  }
  if (last - first + 1 > MAX_SCAN_PER_RECORD * records.length) return new Set(records.map((r) => r.sequence));
  const held = new Set<number>();
  for (const [, sequence] of db.getKeys({ start: [gatewayId, first], end: [gatewayId, last + 1] })) held.add(sequence);
  return held;
}

/**
 * The embedded store: one LMDB environment. Records are keyed by [gatewayId, sequence]
 * (lmdb-js orders array keys element by element), so one gateway's records are contiguous and
 * in sequence order. A per-gateway summary (count, last seen) is written in the same
 * transaction and mirrored in memory, so counts are O(1).
 */
export class LmdbTelemetryStore implements TelemetryStore {
  private opened: Opened | undefined;
  private readonly gatewayStates = new Map<string, GatewayState>();
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
      root = open({ path, maxDbs: 8 });
      const meta = root.openDB<unknown, string>({ name: 'meta' });
      const identity = meta.get(IDENTITY_KEY) as Partial<StoreIdentity> | undefined;
      if (identity === undefined) {
        await meta.put(IDENTITY_KEY, IDENTITY);
      } else if (identity.format !== IDENTITY.format) {
        throw refuse(`it belongs to another program (${String(identity.format)})`);
      }
      const opened: Opened = {
        root,
        records: root.openDB<RecordValue, RecordKey>({ name: 'records' }),
        gateways: root.openDB<GatewayState, string>({ name: 'gateways' }),
        byTime: root.openDB<TimeValue, TimeKey>({ name: 'records-by-time' }),
        rawByTime: root.openDB<true, RawTimeKey>({ name: 'raw-records-by-time' }),
      };
      // A store written before the time indexes existed gets them once, before serving.
      await buildTimeIndexes(opened, meta);
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

  async storeRecords(
    gatewayId: string,
    records: readonly TelemetryRecord[],
    receivedAtMs: number,
  ): Promise<StoreResult> {
    const { root, records: db, gateways, byTime, rawByTime } = this.requireOpen();
    let result: { result: StoreResult; state: GatewayState };
    try {
      result = await db.transaction(() => {
        let stored = 0;
        let duplicates = 0;
        const conflicting = new Set<number>();
        const mayBeHeld = heldSequences(db, gatewayId, records);
        for (const record of records) {
          const key: RecordKey = [gatewayId, record.sequence];
          // Reads inside the transaction see its own writes, so a sequence repeated within
          // one batch is also stored once.
          const held = mayBeHeld.has(record.sequence) ? db.get(key) : undefined;
          mayBeHeld.add(record.sequence);
          if (held !== undefined) {
            if (isSameContent(held, record)) duplicates++;
            else conflicting.add(record.sequence);
            continue;
          }
          db.putSync(key, {
            deviceId: record.deviceId,
            timestampMs: record.timestampMs,
            lane: record.lane,
            quality: record.quality,
            values: record.values.map(({ name, value, unit }) => ({ name, value, unit })),
            receivedAtMs,
          });
          byTime.putSync([gatewayId, record.timestampMs, record.sequence], {
            deviceId: record.deviceId,
            lane: record.lane,
          });
          if (record.lane !== 'billing')
            rawByTime.putSync([record.timestampMs, gatewayId, record.sequence], true);
          stored++;
        }
        const previous = gateways.get(gatewayId);
        const state: GatewayState = {
          records: (previous?.records ?? 0) + stored,
          lastSeenMs: Math.max(previous?.lastSeenMs ?? 0, receivedAtMs),
        };
        gateways.putSync(gatewayId, state);
        const [highest] = db.getKeys({ start: [gatewayId, END_OF_GATEWAY], end: [gatewayId, 0], reverse: true, limit: 1 });
        return {
          result: {
            stored,
            duplicates,
            conflicting: [...conflicting].sort((a, b) => a - b),
            highestSequence: highest?.[1] ?? 0,
          },
          state,
        };
      });
      // lmdb-js: `flushed` resolves once previous commits are synced to disk; only then is
      // the batch durable and may be acknowledged.
      await root.flushed;
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

  highestSequence(gatewayId: string): Promise<number> {
    const { records } = this.requireOpen();
    const [highest] = records.getKeys({ start: [gatewayId, END_OF_GATEWAY], end: [gatewayId, 0], reverse: true, limit: 1 });
    return Promise.resolve(highest?.[1] ?? 0);
  }

  countRecords(gatewayId?: string): Promise<number> {
    this.requireOpen();
    if (gatewayId === undefined) return Promise.resolve(this.totalRecords);
    return Promise.resolve(this.gatewayStates.get(gatewayId)?.records ?? 0);
  }

  listRecords(gatewayId: string, options: ListRecordsOptions = {}): Promise<StoredRecord[]> {
    const { records } = this.requireOpen();
    const range = records.getRange({
      start: [gatewayId, options.fromSequence ?? 0],
      end: [gatewayId, END_OF_GATEWAY],
      ...(options.limit === undefined ? {} : { limit: options.limit }),
    });
    return Promise.resolve(Array.from(range, ({ key, value }) => ({ gatewayId, sequence: key[1], ...value })));
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
    const { records, byTime } = this.requireOpen();
    const lanes = query.lanes ? new Set<Lane>(query.lanes) : undefined;
    const after = query.after;
    const start: TimeKey =
      after && after.timestampMs >= query.fromMs
        ? [gatewayId, after.timestampMs, after.sequence]
        : [gatewayId, query.fromMs, 0];
    const found: StoredRecord[] = [];
    if (query.limit <= 0) return Promise.resolve(found);
    // Index entries carry device and lane, so filtering reads no record that is not returned.
    for (const { key, value } of byTime.getRange({ start, end: [gatewayId, query.toMs, 0] })) {
      const [, timestampMs, sequence] = key;
      if (after && timestampMs === after.timestampMs && sequence <= after.sequence) continue;
      if (query.deviceId !== undefined && value.deviceId !== query.deviceId) continue;
      if (lanes && !lanes.has(value.lane)) continue;
      const record = records.get([gatewayId, sequence]);
      if (record === undefined) continue;
      found.push({ gatewayId, sequence, ...record });
      if (found.length >= query.limit) break;
    }
    return Promise.resolve(found);
  }

  async deleteRawRecordsBefore(beforeMs: number, limit: number): Promise<number> {
    const { root, records, gateways, byTime, rawByTime } = this.requireOpen();
    if (limit <= 0) return 0;
    let changed: { states: Map<string, GatewayState>; deleted: number };
    try {
      changed = await records.transaction(() => {
        const doomed = Array.from(rawByTime.getKeys({ end: [beforeMs], limit }));
        const perGateway = new Map<string, number>();
        for (const [timestampMs, gatewayId, sequence] of doomed) {
          rawByTime.removeSync([timestampMs, gatewayId, sequence]);
          byTime.removeSync([gatewayId, timestampMs, sequence]);
          if (records.removeSync([gatewayId, sequence]))
            perGateway.set(gatewayId, (perGateway.get(gatewayId) ?? 0) + 1);
        }
        const states = new Map<string, GatewayState>();
        let deleted = 0;
        for (const [gatewayId, count] of perGateway) {
          const previous = gateways.get(gatewayId) ?? { lastSeenMs: 0, records: count };
          const state = { ...previous, records: Math.max(0, previous.records - count) };
          gateways.putSync(gatewayId, state);
          states.set(gatewayId, state);
          deleted += count;
        }
        return { states, deleted };
      });
      await root.flushed;
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
