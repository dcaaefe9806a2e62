import type { Position, PositionSource } from '../../src/energy/index.js';

/**
 * FAKE, because there is no GNSS receiver on this machine: a position source that reports
 * whatever the test sets, so period records can be checked for the position they carry.
 */
export class FakePositionSource implements PositionSource {
  private position: Position | undefined;

  set(position: Position | undefined): void {
    this.position = position;
  }

  current(): Position | undefined {
    return this.position;
  }
}
