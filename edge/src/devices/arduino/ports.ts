import type { Reading } from '../../records/index.js';

/** A reading with the position its device gave it (boot count × 2^32 + sequence). */
export interface PositionedReading {
  position: number;
  reading: Reading;
}

/**
 * Where the Arduino capability hands readings (the root passes the durable buffer in). It
 * stores each (source, position) once and resolves only when the records are on disk: the
 * device gets its ACK after that and not before.
 */
export interface SourcedReadingStore {
  storeFromSource(source: string, readings: readonly PositionedReading[]): Promise<{ stored: number; duplicates: number }>;
}
