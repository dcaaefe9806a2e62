#!/usr/bin/env node
// Runs one simulated Modbus TCP meter until SIGINT/SIGTERM.
//   meter-cli --port 5020 [--host 127.0.0.1] [--unit 1] [--profile eastron-sdm630] [--seed 1]
//             [--pin voltageL1=231.5 ...]
import { parseArgs } from 'node:util';
import { MeterSimulator } from './meter.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5020' },
    host: { type: 'string', default: '127.0.0.1' },
    unit: { type: 'string', default: '1' },
    profile: { type: 'string', default: 'eastron-sdm630' },
    seed: { type: 'string', default: '1' },
    pin: { type: 'string', multiple: true, default: [] },
  },
});

const simulator = new MeterSimulator({ profile: values.profile, host: values.host, port: Number(values.port), unitId: Number(values.unit), seed: Number(values.seed) });
for (const pin of values.pin) {
  const [name, value] = pin.split('=');
  if (!name || value === undefined || Number.isNaN(Number(value))) {
    console.error(`--pin takes name=number, got ${pin}`);
    process.exit(2);
  }
  simulator.setValue(name, Number(value));
}
const port = await simulator.start();
console.log(`meter simulator listening on ${values.host}:${port} unit ${values.unit} (${values.profile})`);
const stop = () => {
  void simulator.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
