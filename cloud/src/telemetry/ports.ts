import type { TelemetryRecord } from '../records/index.js';

/** Where ingested records go; the composition root passes the TelemetryStore. */
export interface RecordSink {
  /** Durable when it resolves; keeps each (gatewayId, sequence) once. */
  storeRecords(
    gatewayId: string,
    records: readonly TelemetryRecord[],
    receivedAtMs: number,
  ): Promise<{ stored: number; duplicates: number }>;
}
