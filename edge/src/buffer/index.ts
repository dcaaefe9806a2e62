export { LmdbBuffer } from './lmdb-buffer.js';
export type { BufferOptions, BufferStats, EncodedRecord, LaneStats, RenumberResult, SequenceRange, SourcedAppendResult, SourcedReading, WireBatch } from './lmdb-buffer.js';
export { GrowthEstimator } from './growth.js';
export { registerBufferMetrics } from './metrics.js';
