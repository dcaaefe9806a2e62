/** Which queue a record waited in on the gateway; billing and alarm records are never dropped. */
export type Lane = 'bulk' | 'alarm' | 'billing';
export const LANES: readonly Lane[] = ['bulk', 'alarm', 'billing'];

/** `uncertain`: read, but the source reports a problem. `bad`: the value must not be used. */
export type Quality = 'good' | 'uncertain' | 'bad';
export const QUALITIES: readonly Quality[] = ['good', 'uncertain', 'bad'];

/** One named value with its unit ("V", "A", "W", "kWh", "Hz"; "" when dimensionless). */
export interface SignalValue {
  name: string;
  value: number;
  unit: string;
}

/** A record as a gateway sent it: (gateway id, sequence) is its identity. */
export interface TelemetryRecord {
  sequence: number;
  deviceId: string;
  /** UTC, milliseconds since the Unix epoch. */
  timestampMs: number;
  lane: Lane;
  quality: Quality;
  values: SignalValue[];
}

/** A record as the cloud keeps it. */
export interface StoredRecord extends TelemetryRecord {
  gatewayId: string;
  /** When the cloud first stored it. */
  receivedAtMs: number;
}

/** Inclusive range of sequence numbers. */
export interface SequenceRange {
  first: number;
  last: number;
}

/** Records of one gateway by timestamp: [fromMs, toMs), oldest first (then by sequence). */
export interface TimeRangeQuery {
  fromMs: number;
  toMs: number;
  /** Only this device's records. */
  deviceId?: string;
  /** Only these lanes; every lane when absent. */
  lanes?: readonly Lane[];
  /** Resume after this record (exclusive): the last one of the previous page. */
  after?: { timestampMs: number; sequence: number };
  /** At most this many records. */
  limit: number;
}
