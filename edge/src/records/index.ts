export { LANES } from './record.js';
export type { Lane, Quality, Reading, SequencedRecord, SignalValue } from './record.js';
