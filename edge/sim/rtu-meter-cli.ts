#!/usr/bin/env node
// Runs a simulated Modbus RTU meter bus on a serial port or pty until SIGINT/SIGTERM.
//   rtu-meter-cli --path ./ttyMETER [--baud 9600] [--parity none] [--stop-bits 1]
//                 [--units 1,2,3] [--profile eastron-sdm630] [--turnaround-ms 2] [--unpaced]
// Prints `rtu meter simulator on <path> units <ids>` once the port is open.
import { parseArgs } from 'node:util';
import { RtuMeterSimulator } from './rtu-meter.js';

function fail(message: string): never {
  console.error(`rtu-meter-cli: ${message}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      path: { type: 'string' },
      baud: { type: 'string', default: '9600' },
      parity: { type: 'string', default: 'none' },
      'stop-bits': { type: 'string', default: '1' },
      units: { type: 'string', default: '1' },
      profile: { type: 'string', default: 'eastron-sdm630' },
      'turnaround-ms': { type: 'string', default: '2' },
      unpaced: { type: 'boolean', default: false },
    },
  }));
} catch (err) {
  fail((err as Error).message);
}
if (values.path === undefined) fail('--path is required');
const parity = values.parity;
if (parity !== 'none' && parity !== 'even' && parity !== 'odd')
  fail(`--parity takes none, even or odd, got ${parity}`);
const units = values.units.split(',').map(Number);
if (units.some((u) => !Number.isInteger(u) || u < 1 || u > 247))
  fail(`--units takes unit ids 1-247, got ${values.units}`);
const baudRate = Number(values.baud);
const stopBits = Number(values['stop-bits']);
const turnaroundMs = Number(values['turnaround-ms']);
if (!Number.isInteger(baudRate) || baudRate < 300)
  fail(`--baud takes a baud rate, got ${values.baud}`);
if (stopBits !== 1 && stopBits !== 2) fail(`--stop-bits takes 1 or 2, got ${values['stop-bits']}`);
if (!(turnaroundMs >= 0))
  fail(`--turnaround-ms takes a number >= 0, got ${values['turnaround-ms']}`);

const simulator = new RtuMeterSimulator({
  path: values.path,
  baudRate,
  dataBits: 8,
  parity,
  stopBits,
  turnaroundMs,
  isPaced: !values.unpaced,
  units: units.map((unitId) => ({ unitId, profile: values.profile, seed: unitId })),
});
try {
  await simulator.start();
} catch (err) {
  fail((err as Error).message);
}
console.log(`rtu meter simulator on ${values.path} units ${units.join(',')}`);

const stop = (): void => {
  void simulator.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
