import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface SyncMetrics {
  recordsSent: Counter;
  batchesSent: Counter<'encoding'>;
  recordsAcknowledged: Counter;
  reconnects: Counter;
  connected: Gauge;
  batchesInFlight: Gauge;
  batchRoundTrip: Histogram;
  sequenceRewinds: Counter;
  recordsRenumbered: Counter;
}

export function createSyncMetrics(registry: Registry): SyncMetrics {
  const registers = [registry];
  return {
    recordsSent: new Counter({ name: 'coupler_edge_records_sent_total', help: 'Records written to the sync stream, resends after a reconnect included.', registers }),
    batchesSent: new Counter({
      name: 'coupler_edge_sync_batches_sent_total',
      help: 'Record batches written to the sync stream, by encoding: "records" (plain) or "columns_v1" (compact, once the cloud listed it; docs/decisions/0010).',
      labelNames: ['encoding'],
      registers,
    }),
    recordsAcknowledged: new Counter({ name: 'coupler_edge_records_acknowledged_total', help: 'Records the cloud acknowledged as durably stored.', registers }),
    sequenceRewinds: new Counter({
      name: 'coupler_edge_buffer_sequence_rewinds_total',
      help: 'Sync streams on which the cloud showed that the buffer\'s sequence counter had gone backwards (buffer restored from a backup or lost).',
      registers,
    }),
    recordsRenumbered: new Counter({ name: 'coupler_edge_buffer_records_renumbered_total', help: 'Records given a new sequence because the cloud held other records under theirs.', registers }),
    reconnects: new Counter({ name: 'coupler_edge_sync_stream_restarts_total', help: 'Sync streams that ended and were opened again.', registers }),
    connected: new Gauge({ name: 'coupler_edge_sync_connected', help: '1 while a sync stream to the cloud is open, else 0.', registers }),
    batchesInFlight: new Gauge({ name: 'coupler_edge_sync_batches_in_flight', help: 'Batches sent and not yet acknowledged.', registers }),
    batchRoundTrip: new Histogram({
      name: 'coupler_edge_sync_batch_round_trip_seconds',
      help: 'Time from writing a batch to receiving its acknowledgement.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
  };
}
