import { randomBytes } from 'node:crypto';
import { Client, compressionAlgorithms, credentials, Metadata, type ChannelCredentials, type ClientDuplexStream, type ChannelOptions } from '@grpc/grpc-js';
import { CORRELATION_ID_METADATA_KEY, encodeColumns, frameRecordBatch, gatewayMethod, type BatchAck__Output, type DeviceState, type SyncRequest, type SyncResponse__Output } from '@coupler/proto';
import { CouplerError, type Logger } from '@coupler/kit';
import type { Registry } from 'prom-client';
import { Backoff } from '../lib/index.js';
import { EdgeErrorCode } from '../errors.js';
import { createSyncMetrics, type SyncMetrics } from './metrics.js';
import type { Backlog, DesiredStatePort } from './ports.js';
import { LANES, type Lane } from '../records/index.js';
import { toBacklogReport } from './backlog-report.js';

export interface SyncOptions {
  cloudUrl: string;
  gatewayId: string;
  softwareVersion: string;
  batchMaxRecords: number;
  windowBatches: number;
  ackTimeoutMs: number;
  keepaliveTimeMs: number;
  /** How often the buffer state is reported to the cloud while the stream is open. */
  backlogReportIntervalMs: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Send batches in the columnar encoding once the cloud's welcome lists it (docs/decisions/0010). */
  columnarBatches: boolean;
}

export interface SyncDeps {
  logger: Logger;
  registry: Registry;
  backlog: Backlog;
  now?: () => number;
  random?: () => number;
  /**
   * The stream's channel credentials (credentials.ts: mTLS with the gateway's certificate,
   * enrolling first if needed). Absent: plaintext, as unit tests of the stream itself use.
   */
  channelCredentials?: () => Promise<ChannelCredentials>;
  /** The gateway's devices, reported with the backlog so the cloud's fleet view shows them. */
  devices?: () => DeviceState[];
  /** The desired-state applier: takes the cloud's DesiredState, and its report goes back as `applied`. */
  desired?: DesiredStatePort;
}

export type LinkState = 'stopped' | 'connecting' | 'streaming' | 'waiting';

export interface SyncStatus {
  state: LinkState;
  batchesInFlight: number;
  streamRestarts: number;
  lastAckAtMs: number | undefined;
}

interface InFlightBatch {
  records: number;
  sentAtMs: number;
  /** The one lane the batch's records came from: their deletion searches only it. */
  lane: Lane;
}

/** One open stream; everything about it is dropped when it ends, so a resend starts clean. */
interface Session {
  /** Takes serialized SyncRequests: batches are framed from records already encoded. */
  call: ClientDuplexStream<Buffer, SyncResponse__Output>;
  /** Logs with this stream's correlation id, which the cloud logs too. */
  log: Logger;
  /** Per lane, the highest sequence written on this stream. */
  lastSent: Record<Lane, number>;
  reportTimer: NodeJS.Timeout | undefined;
  /** Pending `applied` report: changes within APPLIED_COALESCE_MS go out as one. */
  appliedTimer: NodeJS.Timeout | undefined;
  nextBatchId: number;
  inFlight: Map<number, InFlightBatch>;
  waitingForDrain: boolean;
  acknowledging: Promise<void>;
  ackTimer: NodeJS.Timeout | undefined;
  ended: boolean;
  /** The cloud showed on this stream that the sequence counter had gone backwards (counted and logged once). */
  hasSeenRewind: boolean;
  /** The cloud's welcome listed BATCH_ENCODING_COLUMNS_V1: batches go as columns. Until then, and with older clouds, plain records. */
  sendsColumns: boolean;
}

const ACK_TIMEOUT_KEEPALIVE_MS = 10_000;
/** A firmware update reports several steps within milliseconds; each report is complete, so one carries them all. */
export const APPLIED_COALESCE_MS = 100;
// grpc-js compression-algorithms.ts: 0 identity, 1 deflate, 2 gzip.
const GRPC_COMPRESSION_GZIP = compressionAlgorithms.gzip;

/**
 * Streams the buffer to the cloud over one long-lived bidirectional gRPC stream. After any
 * disconnect it resends from the first unacknowledged record; the cloud de-duplicates.
 */
export class SyncClient {
  private client: Client | undefined;
  private serializeRequest: ((request: SyncRequest) => Buffer) | undefined;
  private deserializeResponse: ((bytes: Buffer) => SyncResponse__Output) | undefined;
  private methodPath = '';
  private session: Session | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private unsubscribeDesired: (() => void) | undefined;
  private state: LinkState = 'stopped';
  private streamRestarts = 0;
  /** Distinguishes this process's streams from those of the gateway's earlier runs. */
  private readonly runId = randomBytes(4).toString('hex');
  private streamsOpened = 0;
  private lastAckAtMs: number | undefined;
  private readonly backoff: Backoff;
  private readonly metrics: SyncMetrics;
  private readonly now: () => number;

  constructor(
    private readonly options: SyncOptions,
    private readonly deps: SyncDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.backoff = new Backoff({ initialMs: options.initialBackoffMs, maxMs: options.maxBackoffMs, ...(deps.random ? { random: deps.random } : {}) });
    this.metrics = createSyncMetrics(deps.registry);
  }

  start(): Promise<void> {
    if (this.state !== 'stopped') return Promise.resolve();
    const channelOptions: ChannelOptions = {
      'grpc.keepalive_time_ms': this.options.keepaliveTimeMs,
      'grpc.keepalive_timeout_ms': ACK_TIMEOUT_KEEPALIVE_MS,
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.default_compression_algorithm': GRPC_COMPRESSION_GZIP,
    };
    const method = gatewayMethod<SyncRequest, SyncResponse__Output>('coupler.sync.v1.SyncService', 'Sync');
    this.methodPath = method.path;
    this.serializeRequest = method.requestSerialize;
    this.deserializeResponse = method.responseDeserialize;
    this.state = 'connecting';
    this.unsubscribe = this.deps.backlog.onAppended(() => {
      if (this.session) this.pump(this.session);
    });
    this.unsubscribeDesired = this.deps.desired?.onReportChanged(() => {
      if (this.session) this.scheduleApplied(this.session);
    });
    this.connect(channelOptions);
    return Promise.resolve();
  }

  /** Gets the credentials (enrolling if needed), then opens the stream; retries with back-off. */
  private connect(channelOptions: ChannelOptions): void {
    const getCredentials = this.deps.channelCredentials ?? (() => Promise.resolve(credentials.createInsecure()));
    getCredentials().then(
      (channelCredentials) => {
        if (this.state === 'stopped') return;
        this.client = new Client(this.options.cloudUrl, channelCredentials, channelOptions);
        this.openStream();
      },
      (err: unknown) => {
        if (this.state === 'stopped') return;
        const delayMs = this.backoff.nextDelayMs();
        this.state = 'waiting';
        this.deps.logger.error({ err, delayMs }, 'sync credentials unavailable, retrying');
        this.reconnectTimer = setTimeout(() => {
          this.connect(channelOptions);
        }, delayMs);
      },
    );
  }

  status(): SyncStatus {
    return {
      state: this.state,
      batchesInFlight: this.session?.inFlight.size ?? 0,
      streamRestarts: this.streamRestarts,
      lastAckAtMs: this.lastAckAtMs,
    };
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    clearTimeout(this.reconnectTimer);
    this.unsubscribe?.();
    this.unsubscribeDesired?.();
    const session = this.session;
    if (session) {
      await session.acknowledging;
      this.endSession(session, undefined);
    }
    this.client?.close();
    this.client = undefined;
    this.metrics.connected.set(0);
  }

  private openStream(): void {
    const { client, serializeRequest, deserializeResponse } = this;
    if (!client || !serializeRequest || !deserializeResponse || this.state === 'stopped') return;
    this.state = 'connecting';
    this.streamsOpened++;
    const correlationId = `${this.options.gatewayId}:${this.runId}:${String(this.streamsOpened)}`;
    const metadata = new Metadata();
    metadata.set(CORRELATION_ID_METADATA_KEY, correlationId);
    const log = this.deps.logger.child({ correlationId });
    const call = client.makeBidiStreamRequest<Buffer, SyncResponse__Output>(this.methodPath, (bytes) => bytes, deserializeResponse, metadata);
    const session: Session = {
      call,
      log,
      lastSent: { billing: 0, alarm: 0, bulk: 0 },
      reportTimer: undefined,
      appliedTimer: undefined,
      nextBatchId: 1,
      inFlight: new Map(),
      waitingForDrain: false,
      acknowledging: Promise.resolve(),
      ackTimer: undefined,
      ended: false,
      hasSeenRewind: false,
      sendsColumns: false,
    };
    this.session = session;
    call.on('metadata', () => {
      if (session.ended) return;
      this.state = 'streaming';
      this.metrics.connected.set(1);
      log.info({ cloudUrl: this.options.cloudUrl }, 'sync stream open');
    });
    call.on('data', (response: SyncResponse__Output) => {
      this.onResponse(session, response);
    });
    call.on('error', (err: Error) => {
      this.endSession(session, err);
    });
    call.on('end', () => {
      this.endSession(session, new CouplerError(EdgeErrorCode.syncProtocol, 'the cloud ended the sync stream'));
    });
    call.write(
      serializeRequest({
        hello: {
          gatewayId: this.options.gatewayId,
          softwareVersion: this.options.softwareVersion,
          firstUnacknowledgedSequence: this.deps.backlog.firstSequence(),
        },
      }),
    );
    this.reportBacklog(session);
    this.sendApplied(session);
    this.pump(session);
  }

  /** The complete desired-state report, once after hello and then after changes (coalesced). */
  private sendApplied(session: Session): void {
    const { desired } = this.deps;
    if (session.ended || !desired || !this.serializeRequest) return;
    session.appliedTimer = undefined;
    session.call.write(this.serializeRequest({ applied: desired.report() }));
  }

  private scheduleApplied(session: Session): void {
    if (session.ended || session.appliedTimer) return;
    session.appliedTimer = setTimeout(() => {
      this.sendApplied(session);
    }, APPLIED_COALESCE_MS);
  }

  private reportBacklog(session: Session): void {
    if (session.ended) return;
    const serializeRequest = this.serializeRequest;
    if (!serializeRequest) return;
    session.call.write(serializeRequest({ backlog: toBacklogReport(this.deps.backlog.state(), this.now()) }));
    if (this.deps.devices) session.call.write(serializeRequest({ devices: { devices: this.deps.devices() } }));
    session.reportTimer = setTimeout(() => {
      this.reportBacklog(session);
    }, this.options.backlogReportIntervalMs);
  }

  /** The next batch: billing first, then alarms, then bulk (SPEC §3 lanes). One lane per batch. */
  private nextBatch(session: Session): { lane: Lane; records: Uint8Array[]; lastSequence: number } | undefined {
    for (const lane of LANES) {
      const batch = this.deps.backlog.batchAfter(lane, session.lastSent[lane], this.options.batchMaxRecords);
      if (batch) return { lane, ...batch };
    }
    return undefined;
  }

  /** Sends batches until the window is full or the backlog is empty. */
  private pump(session: Session): void {
    if (session.ended || session.waitingForDrain) return;
    while (session.inFlight.size < this.options.windowBatches) {
      const next = this.nextBatch(session);
      if (!next) break;
      const { lane, records, lastSequence } = next;
      const batchId = session.nextBatchId++;
      session.inFlight.set(batchId, { records: records.length, sentAtMs: this.now(), lane });
      session.lastSent[lane] = lastSequence;
      const hasRoom = session.call.write(this.frameBatch(session, batchId, records));
      this.metrics.recordsSent.inc(records.length);
      if (!hasRoom) {
        session.waitingForDrain = true;
        session.call.once('drain', () => {
          session.waitingForDrain = false;
          this.pump(session);
        });
        break;
      }
    }
    this.metrics.batchesInFlight.set(session.inFlight.size);
    this.armAckTimer(session);
  }

  /** The serialized SyncRequest of one batch: columns when the cloud reads them and they can carry these records, else the records as they are. */
  private frameBatch(session: Session, batchId: number, records: Uint8Array[]): Buffer {
    const columns = session.sendsColumns && this.serializeRequest ? encodeColumns(records) : undefined;
    if (columns && this.serializeRequest) {
      this.metrics.batchesSent.inc({ encoding: 'columns_v1' });
      return this.serializeRequest({ batch: { batchId, encoding: 'BATCH_ENCODING_COLUMNS_V1', columns } });
    }
    this.metrics.batchesSent.inc({ encoding: 'records' });
    return frameRecordBatch(batchId, records);
  }

  private onResponse(session: Session, response: SyncResponse__Output): void {
    if (response.message === 'welcome' && response.welcome) {
      session.sendsColumns = this.options.columnarBatches && response.welcome.batchEncodings.includes('BATCH_ENCODING_COLUMNS_V1');
      this.onWelcome(session, response.welcome.highestStoredSequence);
      return;
    }
    if (response.message === 'desired' && response.desired) {
      session.log.info({ revision: response.desired.revision }, 'desired state received');
      this.deps.desired?.apply(response.desired);
      return;
    }
    const ack = response.ack;
    if (response.message !== 'ack' || !ack) return;
    const batch = session.inFlight.get(ack.batchId);
    if (!batch) {
      this.endSession(session, new CouplerError(EdgeErrorCode.syncProtocol, `the cloud acknowledged batch ${ack.batchId}, which is not in flight`));
      return;
    }
    session.inFlight.delete(ack.batchId);
    this.metrics.batchRoundTrip.observe((this.now() - batch.sentAtMs) / 1000);
    this.metrics.batchesInFlight.set(session.inFlight.size);
    this.lastAckAtMs = this.now();
    this.backoff.reset();
    // Asked for at once, so that the buffer groups the deletions acknowledged while one commits
    // (in the order the cloud acknowledged them); a renumbering still follows its own deletion.
    const deleted = this.deps.backlog.acknowledge(ack.stored, batch.lane);
    deleted.catch(() => undefined); // handled in the chain below, which may reach it later
    session.acknowledging = session.acknowledging
      .then(() => deleted)
      .then(() => this.renumberConflicting(session, ack))
      .then(
        (renumbered) => {
          this.metrics.recordsAcknowledged.inc(batch.records - renumbered);
        },
        (err: unknown) => {
          this.endSession(session, err as Error);
        },
      );
    this.pump(session);
  }

  /** Sent after hello: a counter at or below the cloud's highest sequence went backwards (docs/decisions/0009). */
  private onWelcome(session: Session, highestStoredSequence: number): void {
    session.acknowledging = session.acknowledging
      .then(() => this.deps.backlog.advanceSequence(highestStoredSequence))
      .then(
        (isAdvanced) => {
          if (isAdvanced) this.noteRewind(session, { highestStoredSequence });
        },
        (err: unknown) => {
          this.endSession(session, err as Error);
        },
      );
  }

  /**
   * The cloud holds other records under some sequences of the batch and stored none of them:
   * they get new sequences above the cloud's highest, and the pump sends them again. Resolves
   * with how many records were renumbered.
   */
  private async renumberConflicting(session: Session, ack: BatchAck__Output): Promise<number> {
    if (ack.conflicting.length === 0) return 0;
    const { renumbered } = await this.deps.backlog.renumber(ack.conflicting, ack.highestStoredSequence);
    this.metrics.recordsRenumbered.inc(renumbered);
    this.noteRewind(session, { highestStoredSequence: ack.highestStoredSequence, renumbered });
    if (renumbered > 0) session.log.debug({ renumbered, conflicting: ack.conflicting }, 'colliding records renumbered');
    return renumbered;
  }

  private noteRewind(session: Session, fields: { highestStoredSequence: number; renumbered?: number }): void {
    if (session.hasSeenRewind) return;
    session.hasSeenRewind = true;
    this.metrics.sequenceRewinds.inc();
    session.log.warn(fields, 'buffer sequence counter had gone backwards (buffer restored or lost); numbering above the cloud');
  }

  private armAckTimer(session: Session): void {
    if (session.ackTimer || session.inFlight.size === 0) return;
    const oldest = Math.min(...Array.from(session.inFlight.values(), (b) => b.sentAtMs));
    const waitMs = Math.max(0, oldest + this.options.ackTimeoutMs - this.now());
    session.ackTimer = setTimeout(() => {
      session.ackTimer = undefined;
      const stillOldest = Math.min(...Array.from(session.inFlight.values(), (b) => b.sentAtMs));
      if (session.inFlight.size > 0 && stillOldest + this.options.ackTimeoutMs <= this.now()) {
        this.endSession(session, new CouplerError(EdgeErrorCode.syncAckTimeout, `no acknowledgement within ${this.options.ackTimeoutMs} ms`));
      } else {
        this.armAckTimer(session);
      }
    }, waitMs);
  }

  private endSession(session: Session, err: Error | undefined): void {
    if (session.ended) return;
    session.ended = true;
    clearTimeout(session.ackTimer);
    clearTimeout(session.reportTimer);
    clearTimeout(session.appliedTimer);
    session.call.removeAllListeners('data');
    session.call.on('error', () => {
      // The call is cancelled below; its late CANCELLED error is expected and carries nothing new.
    });
    session.call.cancel();
    if (this.session === session) this.session = undefined;
    this.metrics.connected.set(0);
    this.metrics.batchesInFlight.set(0);
    if (this.state === 'stopped') return;
    this.streamRestarts++;
    this.metrics.reconnects.inc();
    const delayMs = this.backoff.nextDelayMs();
    const wasStreaming = this.state === 'streaming';
    this.state = 'waiting';
    // Logged once when a working link is lost; the retries of a long outage go to debug.
    const fields = { err, delayMs, unacknowledgedBatches: session.inFlight.size };
    if (wasStreaming) session.log.warn(fields, 'sync stream lost, reconnecting');
    else session.log.debug(fields, 'sync stream attempt failed');
    this.reconnectTimer = setTimeout(() => {
      this.openStream();
    }, delayMs);
  }
}
