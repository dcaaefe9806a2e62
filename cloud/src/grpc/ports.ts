import type { BacklogReport__Output, WireRecord__Output } from '@coupler/proto';
import type { SequenceRange } from '../records/index.js';

/** What the sync stream needs from telemetry; the composition root passes the implementation. */
export interface BatchIngest {
  /** Resolves once the batch is durable, with the sequences to acknowledge. */
  ingestBatch(
    gatewayId: string,
    records: readonly WireRecord__Output[],
  ): Promise<{ ranges: SequenceRange[] }>;
}

/** What the sync stream tells the fleet about each gateway; the composition root passes it in. */
export interface GatewayReports {
  streamOpened(gatewayId: string, softwareVersion: string, atMs: number): void;
  backlogReported(gatewayId: string, report: BacklogReport__Output, atMs: number): void;
  streamClosed(gatewayId: string, atMs: number): void;
}
