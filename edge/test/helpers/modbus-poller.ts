import { onTestFinished } from 'vitest';
import { Registry } from 'prom-client';
import { createLogger } from '@coupler/kit';
import {
  createModbusPoller,
  type ModbusDeviceConfig,
  type ModbusPoller,
  type ModbusPollerOptions,
} from '../../src/devices/modbus/index.js';
import type { Reading } from '../../src/records/index.js';

/** Items pushed by the code under test; a test awaits the first one that matches, within a time limit. */
export class Collected<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<() => void>();

  push(item: T): void {
    this.items.push(item);
    for (const wake of this.waiters) wake();
  }

  /** Resolves with the first item (from index `from` on) that matches, or rejects after `timeoutMs`. */
  async next(
    what: string,
    matches: (item: T) => boolean,
    { from = 0, timeoutMs = 10_000 } = {},
  ): Promise<T> {
    const signal = AbortSignal.timeout(timeoutMs);
    for (;;) {
      const found = this.items.slice(from).find(matches);
      if (found !== undefined) return found;
      await new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          this.waiters.delete(wake);
          signal.removeEventListener('abort', abort);
          resolve();
        };
        const abort = (): void => {
          this.waiters.delete(wake);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
        };
        this.waiters.add(wake);
        signal.addEventListener('abort', abort, { once: true });
      });
    }
  }
}

export interface LogLine {
  level: number;
  msg: string;
  deviceId?: string;
  from?: string;
  to?: string;
  [key: string]: unknown;
}

export function modbusDevice(
  id: string,
  port: number,
  overrides: Partial<ModbusDeviceConfig> = {},
): ModbusDeviceConfig {
  return {
    id,
    profile: 'eastron-sdm630',
    host: '127.0.0.1',
    port,
    unitId: 1,
    pollIntervalMs: 100,
    timeoutMs: 300,
    ...overrides,
  };
}

/** A started poller whose readings and log lines the test can await; stopped when the test finishes. */
export async function startModbusPoller(
  devices: ModbusDeviceConfig[],
  options: Omit<ModbusPollerOptions, 'devices'> = {},
): Promise<{
  poller: ModbusPoller;
  readings: Collected<Reading>;
  logs: Collected<LogLine>;
  registry: Registry;
}> {
  const readings = new Collected<Reading>();
  const logs = new Collected<LogLine>();
  const registry = new Registry();
  const logger = createLogger({
    name: 'test',
    level: 'debug',
    destination: {
      write: (line: string) => {
        logs.push(JSON.parse(line) as LogLine);
      },
    },
  });
  const poller = createModbusPoller(
    { ...options, devices },
    {
      logger,
      registry,
      publish: (reading) => {
        readings.push(reading);
        return Promise.resolve();
      },
    },
  );
  onTestFinished(() => poller.stop());
  await poller.start();
  return { poller, readings, logs, registry };
}
