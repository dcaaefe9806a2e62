// Child process of bench/modbus-tcp-scale.ts: N simulated Modbus TCP meters on 127.0.0.1, each
// on a port of its own, serving one profile. Prints the ports as JSON, runs until SIGTERM.
//   node bench/dist/lib/tcp-meters.js <count> <profile>   (after npm run build)
import { MeterSimulator } from '@coupler/edge/sim/meter';

const count = Number(process.argv[2] ?? 1);
const profile = process.argv[3] ?? 'eastron-sdm630';
const meters = Array.from({ length: count }, (_, i) => new MeterSimulator({ profile, seed: i + 1, tickMs: 1000 }));
const ports: number[] = [];
for (const meter of meters) ports.push(await meter.start());
console.log(JSON.stringify(ports));
process.once('SIGTERM', () => {
  void Promise.all(meters.map((m) => m.stop())).then(() => process.exit(0));
});
