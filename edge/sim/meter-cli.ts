#!/usr/bin/env node
// Runs one simulated Modbus TCP meter until SIGINT/SIGTERM.
//   meter-cli [--port 5020] [--host 127.0.0.1] [--unit 1] [--profile eastron-sdm630] [--seed 1]
//             [--tick-ms 1000] [--pin voltageL1=231.5 ...]
// Prints `meter simulator listening on <host>:<port> unit <id>` once it answers (--port 0: any free port).
import { parseArgs } from 'node:util';
import { MeterSimulator } from './meter.js';

function fail(message: string): never {
  console.error(`meter-cli: ${message}`);
  process.exit(2);
}

function integer(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    fail(`--${name} takes an integer from ${min} to ${max}, got ${raw}`);
  return value;
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '5020' },
      host: { type: 'string', default: '127.0.0.1' },
      unit: { type: 'string', default: '1' },
      profile: { type: 'string', default: 'eastron-sdm630' },
      seed: { type: 'string', default: '1' },
      'tick-ms': { type: 'string', default: '1000' },
      pin: { type: 'string', multiple: true, default: [] },
    },
  }));
} catch (err) {
  fail((err as Error).message);
}

const unitId = integer('unit', values.unit, 1, 247);
const simulator = new MeterSimulator({
  profile: values.profile,
  host: values.host,
  port: integer('port', values.port, 0, 65535),
  unitId,
  seed: integer('seed', values.seed, 0, 2 ** 31),
  tickMs: integer('tick-ms', values['tick-ms'], 1, 3_600_000),
  onError: (err) => {
    console.error(`meter-cli: ${err.message}`);
  },
});
try {
  for (const pin of values.pin) {
    const [name, value] = pin.split('=');
    if (!name || value === undefined || value.trim() === '' || Number.isNaN(Number(value)))
      fail(`--pin takes name=number, got ${pin}`);
    simulator.setValue(name, Number(value));
  }
  const port = await simulator.start();
  console.log(`meter simulator listening on ${values.host}:${port} unit ${unitId}`);
} catch (err) {
  fail((err as Error).message);
}

const stop = (): void => {
  void simulator.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
