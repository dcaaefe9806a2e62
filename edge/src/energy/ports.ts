/** What the energy capability needs from outside; the composition root passes implementations in. */

/** Whether the wall clock is disciplined (NTP, GNSS): a period's times are only as good as the clock. */
export interface ClockStatus {
  isSynchronised(): boolean;
}

export interface Position {
  latitudeDeg: number;
  longitudeDeg: number;
  /** UTC ms of the fix. */
  atMs: number;
}

/** Where the train is; undefined while there is no fix. */
export interface PositionSource {
  current(): Position | undefined;
}
