import type { Database, RootDatabase } from 'lmdb';
import { RecordColumns, type StoredRecord, type TelemetryRecord } from '../../records/index.js';
import { allRows, windowOf, writeSegment, type SegmentTables } from './segments.js';

/** Format 1: one record under [gatewayId, sequence], indexed by [gatewayId, timestamp, sequence] and [timestamp, gatewayId, sequence]. */
type RecordKey = [gatewayId: string, sequence: number];
type RecordValue = Omit<StoredRecord, 'gatewayId' | 'sequence'>;

const CHUNK_RECORDS = 10_000;
const PROGRESS_KEY = 'convertedUpTo';
const FORMAT_1_TABLES = ['records', 'records-by-time', 'raw-records-by-time'];

/**
 * Converts a format-1 store: records of one gateway received together (same receivedAtMs, as
 * one batch was) and in one time window become a segment. Each chunk is its own transaction and
 * records how far it got, so a start interrupted half-way goes on where it stopped; the format-1
 * tables are dropped at the end. Resolves with the next free segment id.
 */
export async function migrateFromRecordKeys(root: RootDatabase, tables: SegmentTables & { meta: Database<unknown, string> }, firstSegment: number, nextSegmentKey: string): Promise<number> {
  const records = root.openDB<RecordValue, RecordKey>({ name: 'records' });
  let nextSegment = firstSegment;
  for (;;) {
    const done = tables.meta.get(PROGRESS_KEY) as RecordKey | undefined;
    const chunk = Array.from(records.getRange({ ...(done ? { start: [done[0], done[1] + 1] } : {}), limit: CHUNK_RECORDS }));
    const last = chunk.at(-1);
    if (!last) break;
    const groups = new Map<string, { gatewayId: string; receivedAtMs: number; records: TelemetryRecord[] }>();
    for (const { key, value } of chunk) {
      const [gatewayId, sequence] = key;
      const { receivedAtMs, ...content } = value;
      const id = JSON.stringify([gatewayId, receivedAtMs, windowOf(value.timestampMs)]);
      const group = groups.get(id) ?? { gatewayId, receivedAtMs, records: [] };
      group.records.push({ sequence, ...content });
      groups.set(id, group);
    }
    await records.transaction(() => {
      for (const group of groups.values()) writeSegment(tables, group.gatewayId, nextSegment++, RecordColumns.fromRecords(group.records), allRows(group.records.length), group.receivedAtMs);
      tables.meta.putSync(nextSegmentKey, nextSegment);
      tables.meta.putSync(PROGRESS_KEY, last.key);
    });
  }
  for (const name of FORMAT_1_TABLES) await root.openDB({ name }).drop();
  await records.transaction(() => {
    tables.meta.removeSync(PROGRESS_KEY);
    tables.meta.removeSync('timeIndexVersion');
  });
  return nextSegment;
}
