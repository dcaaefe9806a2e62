#!/usr/bin/env node
// Runs a FleetSimulator against a cloud's sync port in its own process (for bench/fleet-ingest.ts).
// Prints one JSON line a second ({ t, produced, acknowledged, streaming, reconnects }) and, at the
// end, one summary line ({ summary: ... }) with batch round trips and this process's CPU.
//   node --conditions=development --import tsx cloud/sim/fleet.ts --target 127.0.0.1:50051 \
//     --gateways 1000 --rate 50 --seconds 30 [--batch-interval-ms 1000] [--window 8] [--spread-ms 5000]
import { parseArgs } from 'node:util';
import { FleetSimulator } from './fleet-simulator.js';

const { values } = parseArgs({
  options: {
    target: { type: 'string' },
    gateways: { type: 'string', default: '20' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    'batch-interval-ms': { type: 'string', default: '1000' },
    window: { type: 'string', default: '8' },
    'spread-ms': { type: 'string', default: '5000' },
    'drain-limit-ms': { type: 'string', default: '30000' },
  },
});
if (values.target === undefined) {
  console.error('fleet: --target host:port is required');
  process.exit(2);
}
const fleet = new FleetSimulator({
  addresses: values.target.split(','),
  gateways: Number(values.gateways),
  recordsPerSecond: Number(values.rate),
  batchIntervalMs: Number(values['batch-interval-ms']),
  windowBatches: Number(values.window),
  connectSpreadMs: Number(values['spread-ms']),
});
const startedAt = performance.now();
const cpuBefore = process.cpuUsage();
fleet.start();
const every = setInterval(() => {
  const { produced, acknowledged, streaming, reconnects, backlog } = fleet.stats();
  console.log(JSON.stringify({ t: (performance.now() - startedAt) / 1000, produced, acknowledged, backlog, streaming, reconnects }));
}, 1000);
await new Promise((resolve) => setTimeout(resolve, Number(values.seconds) * 1000));
fleet.stopProducing();
let drained = true;
try {
  await fleet.drained(Number(values['drain-limit-ms']));
} catch {
  drained = false;
}
clearInterval(every);
const latencies = fleet.takeLatencies().sort((a, b) => a - b);
const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
const cpu = process.cpuUsage(cpuBefore);
console.log(JSON.stringify({
  summary: {
    ...fleet.stats(),
    drained,
    seconds: (performance.now() - startedAt) / 1000,
    batchRoundTripMs: { p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? NaN },
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  },
}));
fleet.close();
// grpc-js may keep timers for closed channels a moment; nothing is left to send.
setTimeout(() => process.exit(0), 200).unref();
