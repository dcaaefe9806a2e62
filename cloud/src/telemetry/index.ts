export { createIngest } from './ingest.js';
export type { Ingest, IngestDeps } from './ingest.js';
export type { RecordSink } from './ports.js';
export { toSequenceRanges } from './ranges.js';
