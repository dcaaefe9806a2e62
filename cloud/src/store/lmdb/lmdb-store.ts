import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { CouplerError, errorMessage, whyNotLmdbFile } from '@coupler/kit';
import { CloudErrorCode } from '../../errors.js';
import type { StoredRecord, TelemetryRecord } from '../../records/index.js';
import type { GatewaySummary, ListRecordsOptions, StoreResult, TelemetryStore } from '../store.js';

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
      root = open({ path, maxDbs: 4 });
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
      };
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
    const { root, records: db, gateways } = this.requireOpen();
    let result: { result: StoreResult; state: GatewayState };
    try {
      result = await db.transaction(() => {
        let stored = 0;
        for (const record of records) {
          const key: RecordKey = [gatewayId, record.sequence];
          // Reads inside the transaction see its own writes, so a sequence repeated within
          // one batch is also stored once.
          if (db.doesExist(key)) continue;
          db.putSync(key, {
            deviceId: record.deviceId,
            timestampMs: record.timestampMs,
            lane: record.lane,
            quality: record.quality,
            values: record.values.map(({ name, value, unit }) => ({ name, value, unit })),
            receivedAtMs,
          });
          stored++;
        }
        const previous = gateways.get(gatewayId);
        const state: GatewayState = {
          records: (previous?.records ?? 0) + stored,
          lastSeenMs: Math.max(previous?.lastSeenMs ?? 0, receivedAtMs),
        };
        gateways.putSync(gatewayId, state);
        return { result: { stored, duplicates: records.length - stored }, state };
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
