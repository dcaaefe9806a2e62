import { Counter, type Registry } from 'prom-client';
import type { Logger } from '@coupler/kit';
import type { BatchEncoding__Output, RecordBatch__Output } from '@coupler/proto';
import type { RecordColumns, SequenceRange } from '../records/index.js';
import type { RecordSink } from './ports.js';
import { toSequenceRanges } from './ranges.js';
import { checkedColumns, decodeBatch, READABLE_BATCH_ENCODINGS } from './batch-records.js';

export interface IngestDeps {
  store: RecordSink;
  /** The cloud's metrics registry; ingest registers its counters on it. */
  metrics: Registry;
  logger: Logger;
  /** Wall clock seam for receivedAtMs. */
  now?: () => number;
}

/** What a batch's acknowledgement says (coupler.sync.v1.BatchAck without the batch id). */
export interface BatchOutcome {
  /** Sequences now held with the batch's content (new or duplicate): the gateway may delete them. */
  ranges: SequenceRange[];
  /** Sequences held with other content: not stored, the gateway renumbers and resends them. */
  conflicting: SequenceRange[];
  highestStoredSequence: number;
}

export interface Ingest {
  /** Encodings besides plain records that batches may use (sent in the Welcome). */
  readonly batchEncodings: readonly BatchEncoding__Output[];
  /**
   * The checked records of a received batch as columns, decoded from its encoding and counted
   * by it. Throws CPL_ERR_SYNC_INVALID_BATCH (more than `maxRecords` records, malformed
   * columns, or an invalid record; nothing of the batch is stored).
   */
  columnsOf(batch: RecordBatch__Output, maxRecords: number): RecordColumns;
  /**
   * Durably stores one checked batch; resolves with the sequences to acknowledge and those
   * that collided, as contiguous inclusive ranges. Throws CPL_ERR_STORE_WRITE.
   */
  ingestBatch(gatewayId: string, records: RecordColumns): Promise<BatchOutcome>;
  /** The highest sequence held for the gateway (0 when none), told to it after hello. */
  highestStoredSequence(gatewayId: string): Promise<number>;
}

/** A gateway whose counter went backwards collides batch after batch; warn once a minute. */
const COLLISION_WARN_INTERVAL_MS = 60_000;

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
  const conflicting = new Counter({
    name: 'coupler_cloud_records_conflicting_total',
    help: 'Records whose (gateway, sequence) the cloud already held with other content; not stored, sent back to be renumbered.',
    registers: [metrics],
  });
  const rejected = new Counter({
    name: 'coupler_cloud_batches_rejected_total',
    help: 'Batches refused because a record was invalid.',
    registers: [metrics],
  });
  const batches = new Counter({
    name: 'coupler_cloud_batches_received_total',
    help: 'Record batches received, by encoding: "records" (plain) or "columns_v1" (compact; docs/decisions/0010).',
    labelNames: ['encoding'],
    registers: [metrics],
  });
  const lastWarnedMs = new Map<string, number>();
  return {
    batchEncodings: READABLE_BATCH_ENCODINGS,
    columnsOf(batch, maxRecords) {
      try {
        const decoded = decodeBatch(batch, maxRecords);
        batches.inc({ encoding: 'groups' in decoded ? 'columns_v1' : 'records' });
        return checkedColumns(decoded);
      } catch (err) {
        rejected.inc();
        throw err;
      }
    },
    async ingestBatch(gatewayId, records) {
      const result = await store.storeColumns(gatewayId, records, now());
      stored.inc(result.stored);
      duplicates.inc(result.duplicates);
      logger.debug({ gatewayId, records: records.count, ...result }, 'batch stored');
      const collided = new Set(result.conflicting);
      if (collided.size > 0) {
        let collidedRecords = 0;
        for (const sequence of records.sequences) if (collided.has(sequence)) collidedRecords++;
        conflicting.inc(collidedRecords);
        const atMs = now();
        if (atMs - (lastWarnedMs.get(gatewayId) ?? -Infinity) >= COLLISION_WARN_INTERVAL_MS) {
          lastWarnedMs.set(gatewayId, atMs);
          logger.warn(
            {
              gatewayId,
              conflicting: collided.size,
              firstSequence: result.conflicting[0],
              highestStoredSequence: result.highestSequence,
            },
            'sequences collided with other records; the gateway is asked to renumber them',
          );
        }
      }
      return {
        ranges: toSequenceRanges(collided.size === 0 ? records.sequences : records.sequences.filter((s) => !collided.has(s))),
        conflicting: toSequenceRanges(result.conflicting),
        highestStoredSequence: result.highestSequence,
      };
    },
    highestStoredSequence(gatewayId) {
      return store.highestSequence(gatewayId);
    },
  };
}
