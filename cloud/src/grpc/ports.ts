import type {
  BacklogReport__Output,
  DesiredStateLayer,
  DesiredStateLayer__Output,
  DesiredStateReport__Output,
  DeviceState__Output,
  GatewayDesiredState,
  FleetGateway,
  GatewayLabels,
  BatchEncoding__Output,
  RecordBatch__Output,
} from '@coupler/proto';
import type { AuditEvent, BillingPeriod, Bucket, Quality, RecordColumns, SequenceRange } from '../records/index.js';

/** What a batch's acknowledgement says, without its batch id. */
export interface BatchOutcome {
  ranges: SequenceRange[];
  conflicting: SequenceRange[];
  highestStoredSequence: number;
}

/** What the sync stream needs from telemetry; the composition root passes the implementation. */
export interface BatchIngest {
  /** Encodings besides plain records that this cloud reads, listed in the Welcome (docs/decisions/0010). */
  readonly batchEncodings: readonly BatchEncoding__Output[];
  /**
   * The batch's checked records as columns whatever its encoding; throws
   * CPL_ERR_SYNC_INVALID_BATCH when it is malformed, holds an invalid record or more than `maxRecords`.
   */
  columnsOf(batch: RecordBatch__Output, maxRecords: number): RecordColumns;
  /**
   * Resolves once the batch is durable, with the sequences to acknowledge, those held with
   * other content (conflicting) and the gateway's highest stored sequence. A stream calls it
   * again before earlier calls resolve (up to 8 batches), so their commits can group.
   */
  ingestBatch(gatewayId: string, records: RecordColumns): Promise<BatchOutcome>;
  /** The gateway's highest stored sequence (0 when none), sent in the Welcome after hello. */
  highestStoredSequence(gatewayId: string): Promise<number>;
}

/** What the sync stream tells the fleet about each gateway; the composition root passes it in. */
export interface GatewayReports {
  streamOpened(gatewayId: string, softwareVersion: string, atMs: number): void;
  backlogReported(gatewayId: string, report: BacklogReport__Output, atMs: number): void;
  devicesReported(gatewayId: string, devices: readonly DeviceState__Output[], atMs: number): void;
  streamClosed(gatewayId: string, atMs: number): void;
}

/** What the sync stream needs from the desired state; the composition root passes it in. */
export interface DesiredStateSync {
  /** A gateway said hello on a stream: its desired state is pushed to it (pushDesired). */
  helloFrom(gatewayId: string): Promise<void>;
  /** Resolves once the report is kept; a failure is logged by the stream, which goes on. */
  reported(gatewayId: string, report: DesiredStateReport__Output): Promise<void>;
  streamClosed(gatewayId: string): void;
}

/** What the identity RPCs call; the composition root passes identity/ in. Roles are checked there. */
export interface IdentityApi {
  enroll(input: { bootstrapToken: string; csrPem: string }): Promise<{
    gatewayId: string;
    certificatePem: string;
    caCertificatePem: string;
    serialHex: string;
    notAfterMs: number;
  }>;
  createBootstrapToken(
    authorization: string | undefined,
    request: { gatewayId: string; ttlSeconds: number },
  ): Promise<{ token: string; expiresAtMs: number }>;
  revokeGateway(
    authorization: string | undefined,
    request: { gatewayId: string; reason: string },
  ): Promise<{ revokedCertificates: number; endedStreams: number }>;
  /** `role` is the wire name (ROLE_VIEWER, ...). */
  createApiKey(
    authorization: string | undefined,
    request: { name: string; role: string },
  ): Promise<{ key: string; keyId: string }>;
  revokeApiKey(authorization: string | undefined, request: { keyId: string }): Promise<{ revokedAtMs: number }>;
  listAuditEvents(
    authorization: string | undefined,
    request: { afterId: number; limit: number },
  ): Promise<AuditEvent[]>;
  /** The gateway a client certificate (DER) was issued to; throws when unknown or revoked. */
  gatewayOfCertificate(certDer: Buffer): Promise<string>;
}

/** What FleetService calls; it checks the role and audits changes. */
export interface FleetApi {
  listGateways(
    authorization: string | undefined,
    filter: { train: string; line: string; tag: string },
  ): Promise<FleetGateway[]>;
  setGatewayLabels(
    authorization: string | undefined,
    request: { gatewayId: string; labels: Partial<GatewayLabels> | undefined },
  ): Promise<GatewayLabels>;
  /** Operator; audited. */
  setDesiredState(authorization: string | undefined, layer: DesiredStateLayer__Output): Promise<DesiredStateLayer>;
  getDesiredStateLayer(authorization: string | undefined, scope: string): Promise<DesiredStateLayer>;
  getGatewayDesiredState(authorization: string | undefined, gatewayId: string): Promise<GatewayDesiredState>;
}

/** A Query as the telemetry capability takes it (coupler.telemetry.v1.QueryRequest). */
export interface TelemetryQueryInput {
  gatewayId: string;
  deviceId: string;
  signals: readonly string[];
  fromMs: number;
  toMs: number;
  stepMs: number;
  pageSize: number;
  pageToken: string;
}

export interface TelemetrySeriesView {
  deviceId: string;
  signal: string;
  unit: string;
  points: { timestampMs: number; value: number; quality: Quality; sequence: number }[];
  buckets: Bucket[];
}

/** A billing row as the telemetry capability gives it: the period with its gateway and train; absent values are left out. */
export interface BillingRowView extends BillingPeriod {
  gatewayId: string;
  train: string;
}

/** What TelemetryService calls; it checks the caller's role before anything is read. */
export interface TelemetryGrpcApi {
  query(
    authorization: string | undefined,
    query: TelemetryQueryInput,
  ): Promise<{ series: TelemetrySeriesView[]; nextPageToken: string }>;
  /** Resolves once the caller and the request are checked, with the export's pieces. */
  exportBilling(
    authorization: string | undefined,
    request: {
      train: string;
      gatewayIds: readonly string[];
      fromMs: number;
      toMs: number;
      format: 'csv' | 'protobuf' | undefined;
    },
  ): Promise<AsyncIterable<{ csv: string } | { rows: BillingRowView[] }>>;
}
