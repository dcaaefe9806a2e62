import type { Reading } from '../records/index.js';

/** Where cloud-bound readings go; resolves only once they are durable (the buffer). */
export interface DurableIngest {
  append(readings: readonly Reading[]): Promise<unknown>;
}
