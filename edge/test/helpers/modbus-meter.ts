import { onTestFinished } from 'vitest';
import { MeterSimulator, type MeterSimulatorOptions } from '../../sim/meter.js';

/** A meter simulator on 127.0.0.1, port 0, stopped when the test finishes. */
export async function startSimulatedMeter(
  options: Omit<MeterSimulatorOptions, 'host' | 'port'> = {},
): Promise<{ meter: MeterSimulator; port: number }> {
  const meter = new MeterSimulator({ ...options, host: '127.0.0.1', port: 0 });
  onTestFinished(() => meter.stop());
  const port = await meter.start();
  return { meter, port };
}
