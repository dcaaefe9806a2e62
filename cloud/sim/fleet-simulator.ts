// Simulated gateways on real SyncService streams, for tests and bench/fleet-ingest.ts. Each one
// speaks the sync protocol as the edge does (hello, backlog and device reports, record batches
// framed from wire-encoded records, gzip, a bounded window of unacknowledged batches, resend
// after a lost stream) without the edge's buffer: its backlog is an in-memory queue.
import {
  Client,
  compressionAlgorithms,
  credentials as grpcCredentials,
  type ChannelCredentials,
  type ClientDuplexStream,
} from '@grpc/grpc-js';
import {
  encodeWireRecord,
  frameRecordBatch,
  loadCouplerProto,
  type DesiredArtifact__Output,
  type DesiredState__Output,
  type SyncRequest,
  type SyncResponse__Output,
} from '@coupler/proto';

export interface FleetSimulatorOptions {
  /**
   * host:port of SyncService endpoints. Gateway i starts on addresses[i % length] and moves to
   * the next address each time its stream ends (a cloud process died, say).
   */
  addresses: readonly string[];
  gateways: number;
  /** Records each gateway produces per second (one SDM630-like meter reading per record). */
  recordsPerSecond: number;
  /** A gateway sends what it produced this often (and at once when it has a backlog to drain). */
  batchIntervalMs?: number;
  /** Most records in one batch (the cloud's grpc.maxBatchRecords bounds it too). */
  maxBatchRecords?: number;
  /** Most unacknowledged batches per stream, as the edge's sync.windowBatches. */
  windowBatches?: number;
  /** A batch not acknowledged in this time ends the stream, which reopens (edge sync.ackTimeoutMs). */
  ackTimeoutMs?: number;
  /** Backlog and device reports go this often (and right after hello), as the edge's. */
  reportIntervalMs?: number;
  /** Wait after a stream ends before the next attempt. */
  reconnectDelayMs?: number;
  /** Gateways connect spread over this long, not all in the same millisecond. */
  connectSpreadMs?: number;
  gatewayIdPrefix?: string;
  /** gzip, as the edge sends, or none. */
  compression?: 'gzip' | 'none';
  /** Channel credentials of one gateway: insecure unless given (see docs/decisions/0036). */
  credentials?: (gatewayId: string) => ChannelCredentials;
  /**
   * What a gateway answers to each desired state it receives: nothing (default), or an
   * `applied` report with every item `done` at once (a fleet that applies instantly).
   */
  answerDesired?: 'nothing' | 'done';
  /** With answerDesired 'done': each answer waits a random time in [min, max] ms (applying takes time). */
  answerDelayMs?: readonly [number, number];
}

export interface GatewayStats {
  gatewayId: string;
  /** Records produced so far: sequences 1..produced. */
  produced: number;
  /** Records the cloud acknowledged as durably stored. */
  acknowledged: number;
  /** Produced and not yet acknowledged (queued or in flight). */
  backlog: number;
  streamsOpened: number;
  isStreaming: boolean;
  /** The address of the current (or last) stream. */
  address: string;
  /** The last desired state received, and when (Date.now()); undefined before the first. */
  desired: { revision: number; receivedAtMs: number; artifacts: string[] } | undefined;
}

export interface FleetStats {
  gateways: number;
  streaming: number;
  produced: number;
  acknowledged: number;
  backlog: number;
  /** Streams opened beyond each gateway's first. */
  reconnects: number;
}

const DEVICES = ['meter-1', 'meter-2'];
export const SOFTWARE_VERSION = 'fleet-simulator';
// What a reading takes in the edge buffer, for the backlog report's byte count.
const APPROX_RECORD_BYTES = 250;
const QUOTA_BYTES = 1 << 30;

type SyncMethod = ReturnType<typeof loadCouplerProto>['sync']['SyncService']['service']['Sync'];
let syncMethod: SyncMethod | undefined;
/** Loaded once: loadCouplerProto() parses the .proto files on every call. */
const sync = (): SyncMethod => (syncMethod ??= loadCouplerProto().sync.SyncService.service.Sync);
const serialize = (message: SyncRequest): Buffer => sync().requestSerialize(message);
const { gzip } = compressionAlgorithms;

/** One SDM630-like reading: three phases, total power, energy, frequency, power factor. */
function reading(sequence: number, timestampMs: number, gatewayIndex: number): Uint8Array {
  const wave = Math.sin((timestampMs / 60_000) * Math.PI * 2 + gatewayIndex);
  const value = (name: string, v: number, unit: string) => ({ name, value: Math.round(v * 100) / 100, unit });
  return encodeWireRecord({
    sequence,
    deviceId: DEVICES[sequence % DEVICES.length] ?? 'meter-1',
    timestampMs,
    lane: 'LANE_BULK',
    quality: 'QUALITY_GOOD',
    values: [
      value('voltageL1', 230 + wave * 3, 'V'),
      value('voltageL2', 231 - wave * 2, 'V'),
      value('voltageL3', 229 + wave, 'V'),
      value('currentL1', 12 + wave * 4, 'A'),
      value('currentL2', 11 + wave * 3, 'A'),
      value('currentL3', 13 - wave * 2, 'A'),
      value('activePowerTotal', 8300 + wave * 900, 'W'),
      value('importActiveEnergy', 1000 + sequence / 100, 'kWh'),
      value('frequency', 50 + wave / 50, 'Hz'),
      value('powerFactor', 0.95 + wave / 50, ''),
    ],
  });
}

interface Stream {
  call: ClientDuplexStream<Buffer, SyncResponse__Output>;
  inFlight: Map<number, { records: Uint8Array[]; sentAtMs: number }>;
  nextBatchId: number;
  isEnded: boolean;
  isWaitingForDrain: boolean;
}

class SimulatedGateway {
  produced = 0;
  acknowledged = 0;
  streamsOpened = 0;
  /** Produced, not in flight, oldest first. */
  private queue: Uint8Array[] = [];
  private stream: Stream | undefined;
  private client: Client | undefined;
  private addressIndex: number;
  private lastProducedMs = 0;
  private carry = 0;
  private tickTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private isRunning = false;
  private isProducing = true;
  private lastReportMs = 0;
  desired: GatewayStats['desired'];

  constructor(
    readonly gatewayId: string,
    private readonly index: number,
    private readonly options: Required<Omit<FleetSimulatorOptions, 'credentials'>> & Pick<FleetSimulatorOptions, 'credentials'>,
    private readonly latencies: number[],
  ) {
    this.addressIndex = index % options.addresses.length;
  }

  get address(): string {
    return this.options.addresses[this.addressIndex] ?? '';
  }

  get isStreaming(): boolean {
    return this.stream !== undefined && !this.stream.isEnded;
  }

  get backlog(): number {
    return this.produced - this.acknowledged;
  }

  start(delayMs: number): void {
    this.isRunning = true;
    this.tickTimer = setTimeout(() => {
      this.lastProducedMs = Date.now();
      this.open();
      this.tick();
    }, delayMs);
  }

  /** Stops producing; streams stay open so the backlog can drain. */
  stopProducing(): void {
    this.produce(Date.now());
    this.isProducing = false;
  }

  close(): void {
    this.isRunning = false;
    clearTimeout(this.tickTimer);
    clearTimeout(this.reconnectTimer);
    const stream = this.stream;
    if (stream) this.end(stream, false);
    this.client?.close();
    this.client = undefined;
  }

  private tick(): void {
    if (!this.isRunning) return;
    const nowMs = Date.now();
    this.produce(nowMs);
    const stream = this.stream;
    if (stream && this.isAckOverdue(stream)) this.end(stream, true);
    else if (stream) {
      if (nowMs - this.lastReportMs >= this.options.reportIntervalMs) this.report(stream);
      this.pump(stream);
    }
    this.tickTimer = setTimeout(() => {
      this.tick();
    }, this.options.batchIntervalMs);
  }

  /** Produces what the rate owes since the last time, so a late timer does not lower the offered rate. */
  private produce(nowMs: number): void {
    if (!this.isProducing) return;
    const owed = ((nowMs - this.lastProducedMs) / 1000) * this.options.recordsPerSecond + this.carry;
    const count = Math.floor(owed);
    this.carry = owed - count;
    const span = nowMs - this.lastProducedMs;
    for (let k = 0; k < count; k++) {
      this.produced++;
      const timestampMs = Math.round(this.lastProducedMs + ((k + 1) * span) / count);
      this.queue.push(reading(this.produced, timestampMs, this.index));
    }
    this.lastProducedMs = nowMs;
  }

  private isAckOverdue(stream: Stream): boolean {
    const limit = performance.now() - this.options.ackTimeoutMs;
    for (const batch of stream.inFlight.values()) if (batch.sentAtMs < limit) return true;
    return false;
  }

  private open(): void {
    if (!this.isRunning) return;
    const method = sync();
    this.client ??= new Client(
      this.address,
      this.options.credentials?.(this.gatewayId) ?? grpcCredentials.createInsecure(),
      {
        // One TCP connection per gateway, as a real fleet has (grpc-js shares them otherwise).
        'grpc.use_local_subchannel_pool': 1,
        ...(this.options.compression === 'gzip' ? { 'grpc.default_compression_algorithm': gzip } : {}),
      },
    );
    this.streamsOpened++;
    const call = this.client.makeBidiStreamRequest<Buffer, SyncResponse__Output>(
      method.path,
      (bytes) => bytes,
      method.responseDeserialize,
    );
    const stream: Stream = { call, inFlight: new Map(), nextBatchId: 1, isEnded: false, isWaitingForDrain: false };
    this.stream = stream;
    call.on('data', (response: SyncResponse__Output) => {
      this.onResponse(stream, response);
    });
    call.on('error', () => {
      this.end(stream, true);
    });
    call.on('end', () => {
      this.end(stream, true);
    });
    call.write(serialize({ hello: { gatewayId: this.gatewayId, softwareVersion: SOFTWARE_VERSION, firstUnacknowledgedSequence: this.acknowledged + 1 } }));
    this.report(stream);
    this.pump(stream);
  }

  private report(stream: Stream): void {
    this.lastReportMs = Date.now();
    stream.call.write(serialize({ backlog: { records: this.backlog, bytes: this.backlog * APPROX_RECORD_BYTES, quotaBytes: QUOTA_BYTES } }));
    stream.call.write(serialize({ devices: { devices: DEVICES.map((deviceId) => ({ deviceId, kind: 'modbus', status: 'ok' })) } }));
  }

  private pump(stream: Stream): void {
    const { windowBatches, maxBatchRecords } = this.options;
    while (!stream.isEnded && !stream.isWaitingForDrain && stream.inFlight.size < windowBatches && this.queue.length > 0) {
      const records = this.queue.splice(0, maxBatchRecords);
      const batchId = stream.nextBatchId++;
      stream.inFlight.set(batchId, { records, sentAtMs: performance.now() });
      if (!stream.call.write(frameRecordBatch(batchId, records))) {
        stream.isWaitingForDrain = true;
        stream.call.once('drain', () => {
          stream.isWaitingForDrain = false;
          this.pump(stream);
        });
      }
    }
  }

  private onResponse(stream: Stream, response: SyncResponse__Output): void {
    if (response.desired) {
      this.onDesired(stream, response.desired);
      return;
    }
    const ack = response.ack;
    if (!ack) return;
    const batch = stream.inFlight.get(ack.batchId);
    if (!batch) return;
    stream.inFlight.delete(ack.batchId);
    this.latencies.push(performance.now() - batch.sentAtMs);
    this.acknowledged += ack.stored.reduce((n, r) => n + r.last - r.first + 1, 0);
    this.pump(stream);
  }

  private onDesired(stream: Stream, desired: DesiredState__Output): void {
    const items = [...desired.firmware.map((f) => ({ deviceId: f.deviceId, kind: 'firmware', artifact: f.artifact })), ...(desired.flows ? [{ deviceId: '', kind: 'flows', artifact: desired.flows }] : [])];
    this.desired = { revision: desired.revision, receivedAtMs: Date.now(), artifacts: items.map((i) => i.artifact?.artifact?.sha256 ?? '') };
    if (this.options.answerDesired !== 'done') return;
    const [min, max] = this.options.answerDelayMs;
    setTimeout(() => {
      if (!stream.isEnded) this.answer(stream, desired, items);
    }, min + Math.random() * (max - min));
  }

  private answer(stream: Stream, desired: DesiredState__Output, items: { deviceId: string; kind: string; artifact: DesiredArtifact__Output | null }[]): void {
    stream.call.write(serialize({
      applied: {
        revision: desired.revision,
        items: items.map((item) => ({
          kind: item.kind, deviceId: item.deviceId, targetVersion: item.artifact?.artifact?.version ?? '', targetSha256: item.artifact?.artifact?.sha256 ?? '',
          rolloutId: item.artifact?.rolloutId ?? '', outcome: 'done', step: '', reason: '', updatedMs: Date.now(),
        })),
      },
    }));
  }

  /** Puts the unacknowledged batches back in front of the queue, in order, and reconnects. */
  private end(stream: Stream, isLost: boolean): void {
    if (stream.isEnded) return;
    stream.isEnded = true;
    stream.call.removeAllListeners('data');
    stream.call.on('error', () => undefined);
    stream.call.cancel();
    const unacknowledged = [...stream.inFlight.keys()].sort((a, b) => a - b).flatMap((id) => stream.inFlight.get(id)?.records ?? []);
    this.queue = [...unacknowledged, ...this.queue];
    if (this.stream === stream) this.stream = undefined;
    if (!isLost || !this.isRunning) return;
    this.client?.close();
    this.client = undefined;
    this.addressIndex = (this.addressIndex + 1) % this.options.addresses.length;
    this.reconnectTimer = setTimeout(() => {
      this.open();
    }, this.options.reconnectDelayMs);
  }
}

/**
 * A fleet of simulated gateways. start() connects them (spread over connectSpreadMs);
 * stopProducing() ends production so drained() can wait for every record's ack; close() ends
 * every stream and connection.
 */
export class FleetSimulator {
  private readonly members: SimulatedGateway[];
  private latencies: number[] = [];

  constructor(options: FleetSimulatorOptions) {
    if (options.addresses.length === 0) throw new Error('fleet simulator: addresses must name at least one host:port');
    if (!(Number.isInteger(options.gateways) && options.gateways > 0)) throw new Error(`fleet simulator: gateways must be a whole number > 0 (got ${options.gateways})`);
    if (!(options.recordsPerSecond >= 0)) throw new Error(`fleet simulator: recordsPerSecond must be >= 0 (got ${options.recordsPerSecond})`);
    const full = {
      batchIntervalMs: 1000,
      // The edge's defaults (edge/src/config/schema.ts, sync.*).
      maxBatchRecords: 500,
      windowBatches: 8,
      ackTimeoutMs: 30_000,
      reportIntervalMs: 30_000,
      reconnectDelayMs: 1000,
      connectSpreadMs: 1000,
      gatewayIdPrefix: 'sim-gw',
      compression: 'gzip' as const,
      answerDesired: 'nothing' as const,
      answerDelayMs: [0, 0] as const,
      ...options,
    };
    this.members = Array.from(
      { length: options.gateways },
      (_, i) => new SimulatedGateway(`${full.gatewayIdPrefix}-${String(i + 1).padStart(4, '0')}`, i, full, this.latencies),
    );
    this.spreadMs = full.connectSpreadMs;
  }

  private readonly spreadMs: number;

  start(): void {
    this.members.forEach((member, i) => {
      member.start((i * this.spreadMs) / this.members.length);
    });
  }

  stopProducing(): void {
    for (const member of this.members) member.stopProducing();
  }

  close(): void {
    for (const member of this.members) member.close();
  }

  gateways(): GatewayStats[] {
    return this.members.map((m) => ({
      gatewayId: m.gatewayId,
      produced: m.produced,
      acknowledged: m.acknowledged,
      backlog: m.backlog,
      streamsOpened: m.streamsOpened,
      isStreaming: m.isStreaming,
      address: m.address,
      desired: m.desired,
    }));
  }

  stats(): FleetStats {
    let produced = 0;
    let acknowledged = 0;
    let streaming = 0;
    let reconnects = 0;
    for (const m of this.members) {
      produced += m.produced;
      acknowledged += m.acknowledged;
      if (m.isStreaming) streaming++;
      reconnects += Math.max(0, m.streamsOpened - 1);
    }
    return { gateways: this.members.length, streaming, produced, acknowledged, backlog: produced - acknowledged, reconnects };
  }

  /** The batch round trips since the last call, in ms; clears them. */
  takeLatencies(): number[] {
    return this.latencies.splice(0);
  }

  /** Resolves when every produced record is acknowledged, or fails after limitMs. */
  async drained(limitMs: number): Promise<void> {
    const deadline = Date.now() + limitMs;
    while (this.stats().backlog > 0) {
      if (Date.now() > deadline) {
        const { backlog, streaming } = this.stats();
        throw new Error(`fleet simulator: ${backlog} records still unacknowledged after ${limitMs} ms (${streaming} of ${this.members.length} gateways streaming)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
