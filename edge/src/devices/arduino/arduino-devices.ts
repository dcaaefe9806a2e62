import type { Registry } from 'prom-client';
import type { Logger } from '@coupler/kit';
import { ALL_ANALOG_CHANNELS, ALL_DIGITAL_INPUTS } from './messages.js';
import { createArduinoMetrics } from './metrics.js';
import { runCommand, type CommandOutcome } from './commands.js';
import { ArduinoPort, type ArduinoDeviceStatus } from './port-watcher.js';
import type { SourcedReadingStore } from './ports.js';

export interface ArduinoDeviceConfig {
  id: string;
  path: string;
  baudRate: number;
  intervalMs: number;
  /** Analog inputs to sample, 0 = A0 ... 5 = A5. */
  analogInputs: readonly number[];
  /** Digital inputs to sample (pulled up), 2 = D2 ... 13 = D13. */
  digitalInputs: readonly number[];
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
  /** Whether a configured Arduino has this id (commands for other devices are not ours). */
  has(deviceId: string): boolean;
  /** The port of one configured Arduino (the firmware updater flashes through it); undefined for other ids. */
  port(deviceId: string): ArduinoPort | undefined;
  /** Runs a command from the bus (`set-output`) on one device; always resolves with an answer. */
  command(deviceId: string, command: string, payload: Buffer): Promise<CommandOutcome>;
}

const REOPEN_INITIAL_MS = 250;
const REOPEN_MAX_MS = 5_000;

/** Every configured Arduino, each on its own port; one that fails never stops the others. */
export function createArduinoDevices(options: ArduinoDevicesOptions, deps: ArduinoDevicesDeps): ArduinoDevices {
  const metrics = createArduinoMetrics(deps.registry);
  const byId = new Map<string, ArduinoPort>();
  const ports = options.devices.map(
    (device) =>
      new ArduinoPort(
        {
          deviceId: device.id,
          path: device.path,
          baudRate: device.baudRate,
          intervalMs: device.intervalMs,
          channelMask: device.analogInputs.reduce((mask, input) => mask | (1 << input), 0) & ALL_ANALOG_CHANNELS,
          digitalMask: device.digitalInputs.reduce((mask, pin) => mask | (1 << pin), 0) & ALL_DIGITAL_INPUTS,
          reopenInitialMs: options.reopenInitialMs ?? REOPEN_INITIAL_MS,
          reopenMaxMs: options.reopenMaxMs ?? REOPEN_MAX_MS,
        },
        { logger: deps.logger.child({ deviceId: device.id }), metrics, store: deps.store, now: deps.now ?? Date.now },
      ),
  );
  options.devices.forEach((device, index) => {
    const port = ports[index];
    if (port) byId.set(device.id, port);
  });
  return {
    start: async () => {
      await Promise.all(ports.map((port) => port.start()));
    },
    stop: async () => {
      await Promise.all(ports.map((port) => port.stop()));
    },
    statuses: () => ports.map((port) => port.status()),
    has: (deviceId) => byId.has(deviceId),
    port: (deviceId) => byId.get(deviceId),
    command: (deviceId, command, payload) => {
      const port = byId.get(deviceId);
      if (!port) return Promise.resolve({ command, status: 'not_connected', message: `no Arduino ${deviceId} is configured` });
      return runCommand(port, command, payload);
    },
  };
}
