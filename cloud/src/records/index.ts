export { LANES, QUALITIES } from './record.js';
export type {
  Lane,
  Quality,
  SequenceRange,
  SignalValue,
  StoredRecord,
  TelemetryRecord,
} from './record.js';
