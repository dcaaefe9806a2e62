import type { StoredRecord } from '../records/index.js';
import type { TimeRangeQuery } from '../records/index.js';
import type { DashboardRecords } from './ports.js';

const PAGE_RECORDS = 5_000;

export interface RecordsWindow {
  records: StoredRecord[];
  /** True when more records matched than were read (newest-first: older ones; by range: later ones). */
  isTruncated: boolean;
}

/**
 * The newest `maxRecords` records of one gateway (the store has no time index yet, 0110):
 * sequences only grow, so reading from count - maxRecords reaches the newest ones, and paging
 * stops after maxRecords * 4 records however sparse the sequences are.
 */
export async function readNewestRecords(
  source: DashboardRecords,
  gatewayId: string,
  maxRecords: number,
): Promise<RecordsWindow> {
  const count = await source.countRecords(gatewayId);
  let fromSequence = Math.max(0, count - maxRecords);
  const kept: StoredRecord[] = [];
  let read = 0;
  let isTruncated = count > maxRecords;
  for (;;) {
    const page = await source.listRecords(gatewayId, { fromSequence, limit: PAGE_RECORDS });
    kept.push(...page);
    read += page.length;
    if (kept.length > maxRecords) kept.splice(0, kept.length - maxRecords);
    const last = page.at(-1);
    if (page.length < PAGE_RECORDS || last === undefined) break;
    if (read >= maxRecords * 4) {
      isTruncated = true;
      break;
    }
    fromSequence = last.sequence + 1;
  }
  return { records: kept, isTruncated };
}

/**
 * One device's records with timestamps in [fromMs, toMs), oldest first, read through the store's
 * time index (so a range a month back costs what a range today does), at most `maxRecords`:
 * beyond that the window ends early and says so.
 */
export async function readRecordsInRange(
  source: Pick<DashboardRecords, 'queryRecords'>,
  gatewayId: string,
  query: Omit<TimeRangeQuery, 'after' | 'limit'>,
  maxRecords: number,
): Promise<RecordsWindow> {
  const records: StoredRecord[] = [];
  let after: TimeRangeQuery['after'];
  for (;;) {
    // One more than asked for tells whether records were left out.
    const limit = Math.min(PAGE_RECORDS, maxRecords + 1 - records.length);
    const page = await source.queryRecords(gatewayId, { ...query, ...(after ? { after } : {}), limit });
    records.push(...page);
    const last = page.at(-1);
    if (page.length < limit || last === undefined || records.length > maxRecords) break;
    after = { timestampMs: last.timestampMs, sequence: last.sequence };
  }
  const isTruncated = records.length > maxRecords;
  return { records: isTruncated ? records.slice(0, maxRecords) : records, isTruncated };
}
