/** Which queue a record waits in: billing and alarm drain before bulk, and are never dropped. */
export type Lane = 'bulk' | 'alarm' | 'billing';
export const LANES: readonly Lane[] = ['billing', 'alarm', 'bulk'];

/** `uncertain`: read, but the source reports a problem. `bad`: the value must not be used. */
export type Quality = 'good' | 'uncertain' | 'bad';

/** One named value with its unit ("V", "A", "W", "kWh", "Hz"; "" when dimensionless). */
export interface SignalValue {
  name: string;
  value: number;
  unit: string;
}

/** What a driver hands to the bus: one reading of one device, not yet sequenced. */
export interface Reading {
  deviceId: string;
  /** UTC, milliseconds since the Unix epoch. */
  timestampMs: number;
  quality: Quality;
  lane: Lane;
  values: SignalValue[];
}

/** A reading after the buffer accepted it: the gateway-wide sequence number is its identity. */
export interface SequencedRecord extends Reading {
  sequence: number;
}
