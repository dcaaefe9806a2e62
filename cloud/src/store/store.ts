import type { RecordColumns, StoredRecord, TelemetryRecord, TimeRangeQuery } from '../records/index.js';

export interface StoreResult {
  /** Records that were new. */
  stored: number;
  /** Records already held for that (gatewayId, sequence) with the same content, left as they were. */
  duplicates: number;
  /**
   * Sequences already held with DIFFERENT content (a collision: the gateway's counter went
   * backwards), in ascending order. Nothing of these records was written; the stored one stays.
   */
  conflicting: number[];
  /** The gateway's highest stored sequence once the batch is in (0 when it has none). */
  highestSequence: number;
}

export interface GatewaySummary {
  gatewayId: string;
  /** When the cloud last stored a batch from it (new or duplicate records). */
  lastSeenMs: number;
  records: number;
}

export interface ListRecordsOptions {
  /** Lowest sequence to return (inclusive). */
  fromSequence?: number;
  limit?: number;
}

/**
 * Where the cloud keeps telemetry. LMDB (one machine) and, later, PostgreSQL (a fleet)
 * implement it, and both pass the suite in contract.ts (SPEC §5 "Storage").
 */
export interface TelemetryStore {
  /** Idempotent. Throws CouplerError CPL_ERR_STORE_OPEN naming the path; never deletes anything. */
  open(): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
  isOpen(): boolean;
  /**
   * Durable (committed AND flushed to disk) when it resolves; keeps each (gatewayId, sequence)
   * once: a record held before with the same content (isSameContent) is counted as a duplicate,
   * one with other content is reported as conflicting; neither is written again.
   */
  storeRecords(
    gatewayId: string,
    records: readonly TelemetryRecord[],
    receivedAtMs: number,
  ): Promise<StoreResult>;
  /**
   * storeRecords for a batch received as columns (docs/decisions/0016): the same records, the
   * same result; a store may write the columns without making an object per record.
   */
  storeColumns(gatewayId: string, columns: RecordColumns, receivedAtMs: number): Promise<StoreResult>;
  /**
   * The highest sequence held for the gateway, 0 when none: an index lookup. A sequence deleted
   * by retention no longer counts.
   */
  highestSequence(gatewayId: string): Promise<number>;
  /** O(1): all records, or those of one gateway. */
  countRecords(gatewayId?: string): Promise<number>;
  /** One gateway's records in sequence order. */
  listRecords(gatewayId: string, options?: ListRecordsOptions): Promise<StoredRecord[]>;
  listGateways(): Promise<GatewaySummary[]>;
  /** One gateway's records by timestamp (a time index, not a scan of the gateway's records). */
  queryRecords(gatewayId: string, query: TimeRangeQuery): Promise<StoredRecord[]>;
  /**
   * Retention: deletes up to `limit` records of the bulk and alarm lanes whose timestamp is
   * before `beforeMs`, oldest first, and lowers the gateways' counts with them; resolves with
   * how many went. Billing records are never deleted: no argument can ask for it.
   */
  deleteRawRecordsBefore(beforeMs: number, limit: number): Promise<number>;
}
