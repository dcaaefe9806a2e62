// Child process of bench/modbus-tcp-scale.ts: the gateway's Modbus poller (no bus, no buffer)
// polling the given ports, one device each. Prints the readings and values taken so far, as
// JSON, whenever a line arrives on stdin; runs until SIGTERM.
//   node bench/dist/lib/tcp-poller.js <intervalMs> <profile> <ports-json>   (after npm run build)
import { Registry } from 'prom-client';
import { createLogger } from '@coupler/kit';
import { createModbusPoller } from '@coupler/edge/devices/modbus';

const intervalMs = Number(process.argv[2]);
const profile = process.argv[3] ?? 'eastron-sdm630';
const ports = JSON.parse(process.argv[4] ?? '[]') as number[];
let readings = 0;
let values = 0;
const poller = createModbusPoller(
  {
    devices: ports.map((port, i) => ({ id: `m${i}`, profile, host: '127.0.0.1', port, unitId: 1, pollIntervalMs: intervalMs, timeoutMs: 1000 })),
  },
  {
    logger: createLogger({ name: 'bench', level: 'warn' }),
    registry: new Registry(),
    publish: (reading) => {
      readings++;
      values += reading.values.length;
      return Promise.resolve();
    },
  },
);
await poller.start();
process.stdin.on('data', () => {
  console.log(JSON.stringify({ readings, values, offline: poller.statuses().filter((s) => s.status !== 'ok').length }));
});
process.once('SIGTERM', () => {
  void poller.stop().then(() => process.exit(0));
});
