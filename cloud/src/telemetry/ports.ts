import type { RecordColumns, StoredRecord, TimeRangeQuery } from '../records/index.js';

/** Where ingested records go; the composition root passes the TelemetryStore. */
export interface RecordSink {
  /**
   * Durable when it resolves; keeps each (gatewayId, sequence) once. `conflicting`: sequences
   * held with other content, not written (TelemetryStore.storeColumns).
   */
  storeColumns(
    gatewayId: string,
    records: RecordColumns,
    receivedAtMs: number,
  ): Promise<{
    stored: number;
    duplicates: number;
    conflicting: number[];
    highestSequence: number;
  }>;
  /** The highest sequence held for the gateway; 0 when none. */
  highestSequence(gatewayId: string): Promise<number>;
}

/** Records of one gateway by timestamp (the TelemetryStore's time index, passed in by the root). */
export interface RecordReader {
  /** [fromMs, toMs), oldest first then by sequence, resuming after `after`, at most `limit`. */
  queryRecords(
    gatewayId: string,
    query: TimeRangeQuery,
  ): Promise<StoredRecord[]>;
}

/** What retention deletes through (the TelemetryStore); billing records are never deleted. */
export interface RawRecordPruner {
  deleteRawRecordsBefore(beforeMs: number, limit: number): Promise<number>;
}
