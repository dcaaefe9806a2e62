import { existsSync } from 'node:fs';
import type { ClockStatus, PositionSource } from './ports.js';

/**
 * The clock counts as synchronised while `file` exists, as systemd-timesyncd keeps
 * /run/systemd/timesync/synchronized. An empty path trusts the clock.
 */
export function fileClockStatus(file: string): ClockStatus {
  return { isSynchronised: () => file === '' || existsSync(file) };
}

/** A position that never moves, for a stationary installation; a train needs a GNSS source. */
export function fixedPosition(
  latitudeDeg: number,
  longitudeDeg: number,
  now: () => number,
): PositionSource {
  return { current: () => ({ latitudeDeg, longitudeDeg, atMs: now() }) };
}
