import type { Database } from 'lmdb';
import type { Lane, StoredRecord } from '../../records/index.js';

/** [gatewayId, timestampMs, sequence]: one gateway's records in time order. */
export type TimeKey = [gatewayId: string, timestampMs: number, sequence: number];
/** What a time-range query filters on, so it reads only the records it returns. */
export interface TimeValue {
  deviceId: string;
  lane: Lane;
}
/** [timestampMs, gatewayId, sequence] of bulk and alarm records only: what retention may delete. */
export type RawTimeKey = [timestampMs: number, gatewayId: string, sequence: number];

type RecordValue = Omit<StoredRecord, 'gatewayId' | 'sequence'>;

const TIME_INDEX_KEY = 'timeIndexVersion';
const TIME_INDEX_VERSION = 1;
const BACKFILL_CHUNK = 10_000;

interface Indexed {
  records: Database<RecordValue, [string, number]>;
  byTime: Database<TimeValue, TimeKey>;
  rawByTime: Database<true, RawTimeKey>;
}

/**
 * Fills both time indexes from the records of a store written before they existed, in chunks
 * (each its own transaction, so memory stays bounded), then marks the store as indexed. Writing
 * an entry twice is harmless, so a start interrupted half-way simply does it again.
 */
export async function buildTimeIndexes(opened: Indexed, meta: Database<unknown, string>): Promise<void> {
  if (meta.get(TIME_INDEX_KEY) === TIME_INDEX_VERSION) return;
  let chunk: { key: [string, number]; value: RecordValue }[] = [];
  const flush = async (): Promise<void> => {
    const entries = chunk;
    chunk = [];
    await opened.records.transaction(() => {
      for (const { key, value } of entries) {
        const [gatewayId, sequence] = key;
        opened.byTime.putSync([gatewayId, value.timestampMs, sequence], { deviceId: value.deviceId, lane: value.lane });
        if (value.lane !== 'billing') opened.rawByTime.putSync([value.timestampMs, gatewayId, sequence], true);
      }
    });
  };
  for (const entry of opened.records.getRange()) {
    chunk.push(entry);
    if (chunk.length >= BACKFILL_CHUNK) await flush();
  }
  await flush();
  await meta.put(TIME_INDEX_KEY, TIME_INDEX_VERSION);
}
