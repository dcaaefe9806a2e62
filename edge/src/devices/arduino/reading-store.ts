import type { Reading } from '../../records/index.js';
import type { PositionedReading, SourcedReadingStore } from './ports.js';

/** The durable buffer, as this capability needs it (the root passes the LMDB buffer in). */
export interface SourceAppender {
  appendFromSource(source: string, readings: readonly PositionedReading[]): Promise<{ records: readonly Reading[]; duplicates: number }>;
}

/** The local bus, as this capability needs it: delivery of readings that are already durable. */
export interface LocalDelivery {
  deliverLocally(reading: Reading): Promise<void>;
}

/**
 * Arduino readings go to the buffer once per (device, position), and each one stored is then
 * delivered to local subscribers on the bus. The store resolves (and the device gets its ACK)
 * when the readings are durable; local delivery does not hold the ACK back, and a failed
 * delivery is reported, never retried into a duplicate.
 */
export function durableReadingStore(buffer: SourceAppender, bus: LocalDelivery, onDeliveryFailed: (err: unknown, reading: Reading) => void): SourcedReadingStore {
  return {
    storeFromSource: async (deviceId, readings) => {
      const outcome = await buffer.appendFromSource(`arduino:${deviceId}`, readings);
      for (const reading of outcome.records) {
        bus.deliverLocally(reading).catch((err: unknown) => {
          onDeliveryFailed(err, reading);
        });
      }
      return { stored: outcome.records.length, duplicates: outcome.duplicates };
    },
  };
}
