export { LmdbBuffer } from './lmdb-buffer.js';
export type { BufferOptions, BufferStats, SequenceRange } from './lmdb-buffer.js';
export { registerBufferMetrics } from './metrics.js';
