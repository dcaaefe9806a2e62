import type { Registry } from 'prom-client';
import type { Logger } from '@coupler/kit';
import { ALL_ANALOG_CHANNELS } from './messages.js';
import { createArduinoMetrics } from './metrics.js';
import { ArduinoPort, type ArduinoDeviceStatus } from './port-watcher.js';
import type { SourcedReadingStore } from './ports.js';

export interface ArduinoDeviceConfig {
  id: string;
  path: string;
  baudRate: number;
  intervalMs: number;
  /** Analog inputs to sample, 0 = A0 ... 5 = A5. */
  analogInputs: readonly number[];
}

export interface ArduinoDevicesOptions {
  devices: readonly ArduinoDeviceConfig[];
  reopenInitialMs?: number;
  reopenMaxMs?: number;
}

export interface ArduinoDevicesDeps {
  logger: Logger;
  registry: Registry;
  store: SourcedReadingStore;
  now?: () => number;
}

export interface ArduinoDevices {
  start(): Promise<void>;
  stop(): Promise<void>;
  statuses(): ArduinoDeviceStatus[];
}

const REOPEN_INITIAL_MS = 250;
const REOPEN_MAX_MS = 5_000;

/** Every configured Arduino, each on its own port; one that fails never stops the others. */
export function createArduinoDevices(options: ArduinoDevicesOptions, deps: ArduinoDevicesDeps): ArduinoDevices {
  const metrics = createArduinoMetrics(deps.registry);
  const ports = options.devices.map(
    (device) =>
      new ArduinoPort(
        {
          deviceId: device.id,
          path: device.path,
          baudRate: device.baudRate,
          intervalMs: device.intervalMs,
          channelMask: device.analogInputs.reduce((mask, input) => mask | (1 << input), 0) & ALL_ANALOG_CHANNELS,
          reopenInitialMs: options.reopenInitialMs ?? REOPEN_INITIAL_MS,
          reopenMaxMs: options.reopenMaxMs ?? REOPEN_MAX_MS,
        },
        { logger: deps.logger.child({ deviceId: device.id }), metrics, store: deps.store, now: deps.now ?? Date.now },
      ),
  );
  return {
    start: async () => {
      await Promise.all(ports.map((port) => port.start()));
    },
    stop: async () => {
      await Promise.all(ports.map((port) => port.stop()));
    },
    statuses: () => ports.map((port) => port.status()),
  };
}
