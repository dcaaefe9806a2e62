import type { Reading } from '../records/index.js';
import type { BusRole } from './acl.js';

/** Where cloud-bound readings go; resolves only once they are durable (the buffer). */
export interface DurableIngest {
  append(readings: readonly Reading[]): Promise<unknown>;
  /** One reading, told through `settled` once it is durable: no promise per message on the hot path. */
  appendOne(reading: Reading, settled: (err: Error | null) => void): void;
}

export interface BusUser {
  username: string;
  /** `scrypt$N$r$p$salt$hash` (@coupler/kit secret-hash.ts); none for a user who only connects with a certificate. */
  passwordHash?: string | undefined;
  role: BusRole;
}

/** The broker's users; the root fills it at start (from configuration, or development mode). */
export interface BusCredentials {
  user(username: string): BusUser | undefined;
}
