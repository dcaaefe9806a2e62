#!/usr/bin/env node
// The drain benchmark's bare stream: the same batches the gateway sends (same records, batch
// size, window and gzip), built in memory and streamed with nothing read from or deleted in a
// buffer. Prints one JSON line.
//   bare-sync-client --target 127.0.0.1:PORT --records 500000 --batch 2000 --window 8
import { parseArgs } from 'node:util';
import { compressionAlgorithms, credentials } from '@grpc/grpc-js';
import { loadCouplerProto, type SyncResponse__Output, type WireRecord } from '@coupler/proto';

const { values } = parseArgs({ options: { target: { type: 'string' }, records: { type: 'string', default: '500000' }, batch: { type: 'string', default: '2000' }, window: { type: 'string', default: '8' } } });
const total = Number(values.records);
const batchSize = Number(values.batch);
const windowSize = Number(values.window);
const startMs = Date.UTC(2026, 10, 20);
const record = (i: number): WireRecord => ({ sequence: i + 1, deviceId: `meter-${i % 4}`, timestampMs: startMs + i * 10, lane: i % 100 === 0 ? 'LANE_BILLING' : i % 100 === 50 ? 'LANE_ALARM' : 'LANE_BULK', quality: 'QUALITY_GOOD', values: [{ name: 'importActiveEnergy', value: i / 10, unit: 'kWh' }] });

const { sync } = loadCouplerProto();
const client = new sync.SyncService(values.target ?? '', credentials.createInsecure(), { 'grpc.default_compression_algorithm': compressionAlgorithms.gzip });
const call = client.Sync();
const startedAt = performance.now();
const cpuBefore = process.cpuUsage();
let sent = 0;
let acked = 0;
let inFlight = 0;
let batchId = 0;
await new Promise<void>((resolve, reject) => {
  const pump = () => {
    while (inFlight < windowSize && sent < total) {
      const size = Math.min(batchSize, total - sent);
      const records = Array.from({ length: size }, (_, k) => record(sent + k));
      call.write({ batch: { batchId: ++batchId, records } });
      sent += size;
      inFlight++;
    }
  };
  call.on('data', (response: SyncResponse__Output) => {
    if (!response.ack) return;
    inFlight--;
    acked += response.ack.stored.reduce((n, r) => n + r.last - r.first + 1, 0);
    if (acked >= total) resolve();
    else pump();
  });
  call.on('error', reject);
  call.write({ hello: { gatewayId: 'bare', softwareVersion: 'bench', firstUnacknowledgedSequence: 1 } });
  pump();
});
const seconds = (performance.now() - startedAt) / 1000;
const cpu = process.cpuUsage(cpuBefore);
call.end();
client.close();
console.log(JSON.stringify({ records: total, seconds, clientCpuSeconds: (cpu.user + cpu.system) / 1e6 }));
