import type { WireRecord__Output } from '@coupler/proto';
import type { SequenceRange } from '../records/index.js';

/** What the sync stream needs from telemetry; the composition root passes the implementation. */
export interface BatchIngest {
  /** Resolves once the batch is durable, with the sequences to acknowledge. */
  ingestBatch(
    gatewayId: string,
    records: readonly WireRecord__Output[],
  ): Promise<{ ranges: SequenceRange[] }>;
}
