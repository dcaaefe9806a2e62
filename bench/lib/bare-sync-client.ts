#!/usr/bin/env node
// The drain benchmark's bare stream: the same batches the gateway sends (same records, batch
// size, window, gzip and batch encoding), built in memory and streamed with nothing read from or
// deleted in a buffer. Each batch is framed as the edge frames it (edge/src/sync/client.ts):
// records in their wire encoding, then columns (decision 0010) or plain records. Prints one JSON line.
//   bare-sync-client --target 127.0.0.1:PORT --records 500000 --batch 2000 --window 8 --encoding columns
import { parseArgs } from 'node:util';
import { Client, compressionAlgorithms, credentials } from '@grpc/grpc-js';
import { encodeColumns, encodeWireRecord, frameRecordBatch, loadCouplerProto, type SyncResponse__Output, type WireRecord } from '@coupler/proto';

const { values } = parseArgs({ options: { target: { type: 'string' }, records: { type: 'string', default: '500000' }, batch: { type: 'string', default: '2000' }, window: { type: 'string', default: '8' }, encoding: { type: 'string', default: 'columns' } } });
if (values.encoding !== 'columns' && values.encoding !== 'records') throw new Error(`--encoding must be columns or records (got ${values.encoding})`);
const total = Number(values.records);
const batchSize = Number(values.batch);
const windowSize = Number(values.window);
const startMs = Date.UTC(2026, 10, 20);
const record = (i: number): WireRecord => ({ sequence: i + 1, deviceId: `meter-${i % 4}`, timestampMs: startMs + i * 10, lane: i % 100 === 0 ? 'LANE_BILLING' : i % 100 === 50 ? 'LANE_ALARM' : 'LANE_BULK', quality: 'QUALITY_GOOD', values: [{ name: 'importActiveEnergy', value: i / 10, unit: 'kWh' }] });

const method = loadCouplerProto().sync.SyncService.service.Sync;
const client = new Client(values.target ?? '', credentials.createInsecure(), { 'grpc.default_compression_algorithm': compressionAlgorithms.gzip });
const call = client.makeBidiStreamRequest<Buffer, SyncResponse__Output>(method.path, (bytes) => bytes, method.responseDeserialize);
const frame = (batchId: number, records: Uint8Array[]): Buffer => {
  const columns = values.encoding === 'columns' ? encodeColumns(records) : undefined;
  return columns ? method.requestSerialize({ batch: { batchId, encoding: 'BATCH_ENCODING_COLUMNS_V1', columns } }) : frameRecordBatch(batchId, records);
};
const startedAt = performance.now();
const cpuBefore = process.cpuUsage();
let sent = 0;
let acked = 0;
let inFlight = 0;
let batchId = 0;
// The first acknowledgement, so that the stream's rate can be taken as the edge's is: from the
// first batch stored to the last, without connecting and the first round trip.
let firstAck: { at: number; acked: number } | undefined;
await new Promise<void>((resolve, reject) => {
  const pump = () => {
    while (inFlight < windowSize && sent < total) {
      const size = Math.min(batchSize, total - sent);
      const records = Array.from({ length: size }, (_, k) => encodeWireRecord(record(sent + k)));
      call.write(frame(++batchId, records));
      sent += size;
      inFlight++;
    }
  };
  call.on('data', (response: SyncResponse__Output) => {
    if (!response.ack) return;
    inFlight--;
    acked += response.ack.stored.reduce((n, r) => n + r.last - r.first + 1, 0);
    firstAck ??= { at: performance.now(), acked };
    if (acked >= total) resolve();
    else pump();
  });
  call.on('error', reject);
  call.write(method.requestSerialize({ hello: { gatewayId: 'bare', softwareVersion: 'bench', firstUnacknowledgedSequence: 1 } }));
  pump();
});
const endedAt = performance.now();
const seconds = (endedAt - startedAt) / 1000;
const cpu = process.cpuUsage(cpuBefore);
call.end();
client.close();
const streaming = firstAck && { records: total - firstAck.acked, seconds: (endedAt - firstAck.at) / 1000 };
console.log(JSON.stringify({ records: total, seconds, streaming, clientCpuSeconds: (cpu.user + cpu.system) / 1e6 }));
