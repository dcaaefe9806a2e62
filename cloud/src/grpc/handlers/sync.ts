import { Metadata, status as GrpcStatus, type ServerDuplexStream } from '@grpc/grpc-js';
import { CouplerError, type Logger } from '@coupler/kit';
import { randomBytes } from 'node:crypto';
import { CORRELATION_ID_METADATA_KEY, CORRELATION_ID_PATTERN, type DesiredState, type RecordBatch__Output, type SyncRequest__Output, type SyncResponse } from '@coupler/proto';
import { CloudErrorCode } from '../../errors.js';
import { toGrpcStatus } from '../error-status.js';
import type { RecordCall } from '../metrics.js';
import type { BatchIngest, BatchOutcome, DesiredStateSync, GatewayReports } from '../ports.js';

export type SyncCall = ServerDuplexStream<SyncRequest__Output, SyncResponse>;

export interface SyncHandlerOptions {
  maxBatchRecords: number;
  ingest: BatchIngest;
  reports: GatewayReports;
  /** Absent: the cloud sends no desired state (tests of the stream alone). */
  desired?: DesiredStateSync | undefined;
  logger: Logger;
  /**
   * The gateway id the call's client certificate was issued to, or undefined when the cloud
   * runs without mTLS (grpc.tls: insecure). Throws when the certificate is missing or revoked.
   */
  authorize: (call: SyncCall) => Promise<string | undefined>;
  recordCall?: RecordCall | undefined;
}

export interface SyncHandler {
  handle(call: SyncCall): void;
  /** Lets every open stream finish the batches it has received, then ends it with UNAVAILABLE. */
  closeAll(): Promise<void>;
  /** Ends the open streams of one gateway at once with this error; returns how many. */
  endGateway(gatewayId: string, err: CouplerError): number;
  /** Writes the desired state to the gateway's open streams (past hello); returns how many. */
  pushDesired(gatewayId: string, desired: DesiredState): number;
  /** Gateways with a stream past hello, each once. */
  connectedGateways(): string[];
}

const GATEWAY_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
// Flow control: stop reading a stream while this many messages wait to be stored.
const MAX_QUEUED_MESSAGES = 32;
// Batches of one stream being stored at once: their commits group (one fsync for several).
const MAX_STORING_BATCHES = 8;

function protocolError(message: string): CouplerError {
  return new CouplerError(CloudErrorCode.syncProtocol, message);
}

/**
 * The SyncService.Sync handler: a thin transport (STYLE §2.5). Checks the stream protocol,
 * hands each batch to the ingest port and acknowledges it only once the port resolves, that is
 * once the batch is durable. Messages of one stream are handled in order; up to
 * MAX_STORING_BATCHES batches are in the store at once, acknowledged in the order received.
 */
/** The edge's id for this stream, or one of the cloud's own when it sent none or a malformed one. */
function correlationIdOf(call: SyncCall): string {
  const [given] = call.metadata.get(CORRELATION_ID_METADATA_KEY);
  return typeof given === 'string' && CORRELATION_ID_PATTERN.test(given) ? given : `cloud:${randomBytes(6).toString('hex')}`;
}

export function createSyncHandler(options: SyncHandlerOptions): SyncHandler {
  const { maxBatchRecords, ingest, logger } = options;
  const streams = new Set<{
    closeAfterQueue: () => Promise<void>;
    gatewayId: () => string | undefined;
    /** Set once the hello named the gateway. */
    helloId: () => string | undefined;
    write: (response: SyncResponse) => void;
    end: (err: CouplerError) => void;
  }>();

  function handle(call: SyncCall): void {
    let gatewayId: string | undefined;
    // The id the client certificate carries; the hello must name the same gateway.
    let certifiedId: string | undefined;
    let queue = options.authorize(call).then((id) => {
      certifiedId = id;
    });
    let queued = 0;
    /** Batches handed to the store and not yet acknowledged; the end of their in-order ack chain. */
    let storing = 0;
    let acknowledged = Promise.resolve();
    let isClosed = false;
    let batches = 0;
    const correlationId = correlationIdOf(call);
    const log = logger.child({ peer: call.getPeer(), correlationId });

    const close = (err?: unknown): void => {
      if (isClosed) return;
      isClosed = true;
      streams.delete(stream);
      if (gatewayId !== undefined) {
        options.reports.streamClosed(gatewayId, Date.now());
        options.desired?.streamClosed(gatewayId);
      }
      if (err === undefined) {
        options.recordCall?.('Sync', GrpcStatus.OK);
        call.end();
        log.info({ gatewayId, batches }, 'sync stream closed');
        return;
      }
      const status = toGrpcStatus(err);
      options.recordCall?.('Sync', status.code);
      if (status.isExpected)
        log.warn(
          { gatewayId, batches, code: status.code, details: status.details },
          'sync stream refused',
        );
      else log.error({ gatewayId, batches, err }, 'sync stream failed');
      // grpc-js sends an error emitted on a server stream as the call's status.
      call.emit('error', { code: status.code, details: status.details });
    };

    const storeBatch = async (id: string, batch: RecordBatch__Output): Promise<{ outcome: BatchOutcome; records: number } | { err: unknown }> => {
      try {
        const records = ingest.columnsOf(batch, maxBatchRecords);
        return { outcome: await ingest.ingestBatch(id, records), records: records.count };
      } catch (err) {
        return { err };
      }
    };

    const processMessage = async (request: SyncRequest__Output): Promise<void> => {
      if (request.message === 'hello') {
        if (gatewayId !== undefined) throw protocolError('hello was sent twice on one stream');
        const id = request.hello?.gatewayId ?? '';
        if (!GATEWAY_ID_PATTERN.test(id)) {
          throw protocolError(
            `hello.gatewayId must be 1 to 128 characters of A-Z a-z 0-9 . _ - (got ${JSON.stringify(id)})`,
          );
        }
        if (certifiedId !== undefined && id !== certifiedId) {
          throw new CouplerError(
            CloudErrorCode.gatewayMismatch,
            `hello.gatewayId ${JSON.stringify(id)} is not the gateway of the client certificate (${certifiedId})`,
          );
        }
        gatewayId = id;
        options.reports.streamOpened(id, request.hello?.softwareVersion ?? '', Date.now());
        log.info(
          { gatewayId, softwareVersion: request.hello?.softwareVersion },
          'sync stream opened',
        );
        // Before any ack: a gateway whose counter went backwards moves it on (decision 0009).
        // Without it the acks' conflicting ranges still keep every record.
        const highest = await ingest.highestStoredSequence(id).catch((err: unknown) => {
          log.warn({ gatewayId: id, err }, 'highest stored sequence not sent after hello');
          return undefined;
        });
        if (highest !== undefined && !isClosed) {
          call.write({ welcome: { highestStoredSequence: highest, batchEncodings: [...ingest.batchEncodings] } });
        }
        // A failure here must not cost the stream its records: the state comes again at the next hello.
        await options.desired?.helloFrom(id).catch((err: unknown) => {
          log.warn({ gatewayId: id, err }, 'desired state not sent after hello');
        });
        return;
      }
      if (gatewayId === undefined)
        throw protocolError('the first message on a stream must be hello');
      if (request.message === 'backlog' && request.backlog) {
        options.reports.backlogReported(gatewayId, request.backlog, Date.now());
        return;
      }
      if (request.message === 'devices' && request.devices) {
        options.reports.devicesReported(gatewayId, request.devices.devices, Date.now());
        return;
      }
      if (request.message === 'applied' && request.applied) {
        await options.desired?.reported(gatewayId, request.applied).catch((err: unknown) => {
          log.warn({ gatewayId, err }, 'desired-state report not kept; the gateway sends it again at its next hello');
        });
        return;
      }
      if (request.message !== 'batch' || !request.batch)
        throw protocolError('a message must be hello, batch, backlog, devices or applied');
      const { batchId } = request.batch;
      const id = gatewayId;
      // The store starts on this batch now, while earlier ones may still await their commit;
      // acknowledgements still go out in order, each once its batch is durable (decision 0012).
      // Settled at once, failures included: they end the stream after the earlier batches' acks.
      storing++;
      const stored = storeBatch(id, request.batch).finally(() => {
        storing--;
      });
      acknowledged = acknowledged.then(async () => {
        const result = await stored;
        if ('err' in result) throw result.err;
        const { outcome, records } = result;
        if (isClosed) return;
        batches++;
        log.debug({ gatewayId: id, batchId, records }, 'batch acknowledged');
        const { ranges, conflicting, highestStoredSequence } = outcome;
        call.write({ ack: { batchId, stored: ranges, conflicting, highestStoredSequence } });
      });
      // A failed batch ends the stream once the batches before it are acknowledged.
      acknowledged = acknowledged.catch((err: unknown) => {
        close(err);
      });
      if (storing >= MAX_STORING_BATCHES) await acknowledged;
    };

    const stream = {
      gatewayId: () => gatewayId ?? certifiedId,
      helloId: () => gatewayId,
      write: (response: SyncResponse) => {
        if (!isClosed) call.write(response);
      },
      end: (err: CouplerError) => {
        close(err);
      },
      closeAfterQueue: async (): Promise<void> => {
        await queue;
        await acknowledged;
        close(
          new CouplerError(
            CloudErrorCode.serviceStopping,
            'the cloud is stopping; reconnect later',
          ),
        );
      },
    };
    streams.add(stream);
    // Headers go out at once, so the edge knows its stream is open before it has data to send;
    // they carry the correlation id the cloud logs this stream under.
    const headers = new Metadata();
    headers.set(CORRELATION_ID_METADATA_KEY, correlationId);
    call.sendMetadata(headers);

    // A refused certificate ends the stream before any message is read.
    queue = queue.catch((err: unknown) => {
      close(err);
    });

    call.on('data', (request: SyncRequest__Output) => {
      if (isClosed) return;
      queued++;
      if (queued >= MAX_QUEUED_MESSAGES) call.pause();
      queue = queue
        .then(() => (isClosed ? undefined : processMessage(request)))
        .catch((err: unknown) => {
          close(err);
        })
        .finally(() => {
          queued--;
          if (queued < MAX_QUEUED_MESSAGES / 2 && call.isPaused() && !isClosed) call.resume();
        });
    });
    // The gateway half-closed: acknowledge what it sent, then end with OK.
    call.on('end', () => {
      void queue.then(() => acknowledged).then(() => {
        close();
      });
    });
    call.on('cancelled', () => {
      if (isClosed) return;
      isClosed = true;
      streams.delete(stream);
      if (gatewayId !== undefined) {
        options.reports.streamClosed(gatewayId, Date.now());
        options.desired?.streamClosed(gatewayId);
      }
      log.info({ gatewayId, batches }, 'sync stream cancelled by the gateway');
    });
  }

  return {
    handle,
    async closeAll() {
      await Promise.all(Array.from(streams, (stream) => stream.closeAfterQueue()));
    },
    endGateway(gatewayId, err) {
      const matching = Array.from(streams).filter((stream) => stream.gatewayId() === gatewayId);
      for (const stream of matching) stream.end(err);
      return matching.length;
    },
    pushDesired(gatewayId, desired) {
      const matching = Array.from(streams).filter((stream) => stream.helloId() === gatewayId);
      for (const stream of matching) stream.write({ desired });
      return matching.length;
    },
    connectedGateways() {
      return [...new Set(Array.from(streams, (stream) => stream.helloId()).filter((id) => id !== undefined))];
    },
  };
}
