#!/usr/bin/env node
// Fills an edge buffer with a synthetic backlog, as if the cloud had been away for days:
// one record in a hundred is billing, one is an alarm, the rest bulk telemetry.
//   backlog-fill --data-dir DIR --gateway-id ID --records 5000000 [--quota-bytes N]
import { parseArgs } from 'node:util';
import { LmdbBuffer } from '../src/buffer/index.js';
import type { Lane, Reading } from '../src/records/index.js';

const CHUNK = 10_000;

export function backlogLane(index: number): Lane {
  if (index % 100 === 0) return 'billing';
  return index % 100 === 50 ? 'alarm' : 'bulk';
}

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    'gateway-id': { type: 'string' },
    records: { type: 'string', default: '1000000' },
    'quota-bytes': { type: 'string', default: String(16 * 1024 ** 3) },
  },
});
const dataDir = values['data-dir'];
const gatewayId = values['gateway-id'];
if (!dataDir || !gatewayId) {
  console.error('backlog-fill needs --data-dir and --gateway-id');
  process.exit(2);
}
const total = Number(values.records);
const buffer = new LmdbBuffer({ dataDir, gatewayId, quotaBytes: Number(values['quota-bytes']) });
buffer.open();
const startMs = Date.UTC(2026, 10, 20);
const startedAt = performance.now();
for (let first = 0; first < total; first += CHUNK) {
  const readings: Reading[] = Array.from({ length: Math.min(CHUNK, total - first) }, (_, k) => {
    const i = first + k;
    return { deviceId: `meter-${i % 4}`, timestampMs: startMs + i * 10, quality: 'good', lane: backlogLane(i), values: [{ name: 'importActiveEnergy', value: i / 10, unit: 'kWh' }] };
  });
  await buffer.append(readings);
}
const { records, bytes } = buffer.stats();
await buffer.close();
console.log(`filled ${records} records, ${bytes} bytes, in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
