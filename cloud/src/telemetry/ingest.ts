import { Counter, type Registry } from 'prom-client';
import type { Logger } from '@coupler/kit';
import type { WireRecord__Output } from '@coupler/proto';
import type { SequenceRange } from '../records/index.js';
import type { RecordSink } from './ports.js';
import { toSequenceRanges } from './ranges.js';
import { recordsFromWire } from './validate.js';

export interface IngestDeps {
  store: RecordSink;
  /** The cloud's metrics registry; ingest registers its counters on it. */
  metrics: Registry;
  logger: Logger;
  /** Wall clock seam for receivedAtMs. */
  now?: () => number;
}

export interface Ingest {
  /**
   * Validates, converts and durably stores one batch; resolves with every sequence of the
   * batch (new or already stored) as contiguous inclusive ranges, ready to acknowledge.
   * Throws CPL_ERR_SYNC_INVALID_BATCH (nothing of the batch stored) or CPL_ERR_STORE_WRITE.
   */
  ingestBatch(
    gatewayId: string,
    records: readonly WireRecord__Output[],
  ): Promise<{ ranges: SequenceRange[] }>;
}

export function createIngest(deps: IngestDeps): Ingest {
  const { store, metrics, logger } = deps;
  const now = deps.now ?? Date.now;
  const stored = new Counter({
    name: 'coupler_cloud_records_stored_total',
    help: 'Records stored for the first time.',
    registers: [metrics],
  });
  const duplicates = new Counter({
    name: 'coupler_cloud_records_duplicate_total',
    help: 'Records received again (after a resend) and acknowledged without storing them twice.',
    registers: [metrics],
  });
  const rejected = new Counter({
    name: 'coupler_cloud_batches_rejected_total',
    help: 'Batches refused because a record was invalid.',
    registers: [metrics],
  });
  return {
    async ingestBatch(gatewayId, wireRecords) {
      let records;
      try {
        records = recordsFromWire(wireRecords);
      } catch (err) {
        rejected.inc();
        throw err;
      }
      const result = await store.storeRecords(gatewayId, records, now());
      stored.inc(result.stored);
      duplicates.inc(result.duplicates);
      logger.debug({ gatewayId, records: records.length, ...result }, 'batch stored');
      return { ranges: toSequenceRanges(records.map((r) => r.sequence)) };
    },
  };
}
