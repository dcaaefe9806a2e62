export { billingPeriodOf } from './billing.js';
export type { BillingPeriod } from './billing.js';
export { BucketSeries } from './buckets.js';
export type { Bucket } from './buckets.js';
export { LANES, QUALITIES } from './record.js';
export { isSameContent } from './same-content.js';
export type {
  Lane,
  Quality,
  SequenceRange,
  SignalValue,
  StoredRecord,
  TelemetryRecord,
  TimeRangeQuery,
} from './record.js';
export { GATEWAY_ID_PATTERN, gatewayIdProblem, ROLES } from './identity.js';
export type {
  ApiKey,
  AuditEvent,
  AuditOutcome,
  BootstrapToken,
  DesiredArtifactRef,
  DesiredLayer,
  DesiredReport,
  GatewayCredential,
  GatewayLabels,
  NewAuditEvent,
  Role,
} from './identity.js';
export type { TemplateRecord } from './template.js';
export type {
  ArtifactBlobs,
  ArtifactRef,
  GatewayOutcome,
  RolloutPlan,
  RolloutState,
  RolloutStatus,
  StoredArtifact,
  UploadDeclaration,
  WaveState,
} from './rollout.js';
export { flagsOf, isSameContentAt, laneOfFlags, qualityOfFlags, RecordColumns } from './record-columns.js';
export type { RecordColumnsParts, RecordShape } from './record-columns.js';
