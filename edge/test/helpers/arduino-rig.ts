import { onTestFinished } from 'vitest';
import { Registry } from 'prom-client';
import { createLogger } from '@coupler/kit';
import { LmdbBuffer } from '../../src/buffer/index.js';
import { ArduinoPort, createArduinoMetrics, type ArduinoPortOptions, type SourcedReadingStore } from '../../src/devices/arduino/index.js';
import type { SequencedRecord } from '../../src/records/index.js';

/** A real LMDB buffer in `dataDir`, closed when the test finishes. */
export function openTestBuffer(dataDir: string): LmdbBuffer {
  const buffer = new LmdbBuffer({ dataDir, gatewayId: 'gw-test', quotaBytes: 1 << 30 });
  buffer.open();
  onTestFinished(() => buffer.close());
  return buffer;
}

/** The store the gateway gives the Arduino capability: the buffer's exactly-once append. */
export function bufferStore(buffer: LmdbBuffer): SourcedReadingStore {
  return {
    storeFromSource: async (source, readings) => {
      const outcome = await buffer.appendFromSource(`arduino:${source}`, readings);
      return { stored: outcome.records.length, duplicates: outcome.duplicates };
    },
  };
}

export interface ArduinoRig {
  port: ArduinoPort;
  registry: Registry;
  /** The value of one coupler_arduino_* counter for this device, 0 when never counted. */
  counter(name: string, result: string): Promise<number>;
}

/** An ArduinoPort on `path`, started now and stopped when the test finishes. */
export async function startArduinoPort(options: Partial<ArduinoPortOptions> & { path: string }, store: SourcedReadingStore): Promise<ArduinoRig> {
  const registry = new Registry();
  const port = new ArduinoPort(
    { deviceId: 'car1-doors', baudRate: 115200, intervalMs: 20, channelMask: 0x3f, reopenInitialMs: 50, reopenMaxMs: 500, ...options },
    { logger: createLogger({ name: 'test', level: 'silent' }), metrics: createArduinoMetrics(registry), store, now: Date.now },
  );
  onTestFinished(() => port.stop());
  await port.start();
  const deviceId = options.deviceId ?? 'car1-doors';
  return {
    port,
    registry,
    counter: async (name, result) => {
      const metric = await registry.getSingleMetric(name)?.get();
      return metric?.values.find((v) => v.labels.device === deviceId && v.labels.result === result)?.value ?? 0;
    },
  };
}

/** Every buffered record of a device, oldest first. */
export function bufferedRecords(buffer: LmdbBuffer, deviceId: string): SequencedRecord[] {
  return buffer.recordsAfter('bulk', 0, 1_000_000).filter((record) => record.deviceId === deviceId);
}

export const deviceSequenceOf = (record: SequencedRecord): number | undefined => record.values.find((v) => v.name === 'deviceSequence')?.value;
