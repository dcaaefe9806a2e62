import type { StoredRecord } from '../records/index.js';
import type { DashboardRecords } from './ports.js';

const PAGE_RECORDS = 5_000;

export interface RecordsWindow {
  records: StoredRecord[];
  /** True when the gateway holds more records than were read: older ones are not in the plot. */
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
