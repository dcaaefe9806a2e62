import { onTestFinished } from 'vitest';
import { MeterSimulator, type MeterSimulatorOptions } from '../../sim/meter.js';
import { freePort } from './free-port.js';

/** A meter simulator on a free 127.0.0.1 port, stopped when the test finishes. */
export async function startMeter(options: Omit<MeterSimulatorOptions, 'port'> = {}): Promise<{ meter: MeterSimulator; port: number }> {
  const meter = new MeterSimulator({ ...options, port: await freePort() });
  const port = await meter.start();
  onTestFinished(() => meter.stop());
  return { meter, port };
}
