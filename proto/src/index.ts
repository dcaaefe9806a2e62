export { loadCouplerProto, PROTO_FILES, PROTO_LOAD_OPTIONS } from './load.js';
export type { CouplerProto } from './load.js';
export { gatewayClient, gatewayMethod, type GatewayClientConstructor, type GatewayServiceClients, type GatewayServiceName } from './clients.js';
export type { ProtoGrpcType as SyncProtoGrpcType } from './generated/sync.js';
export type { BacklogReport, BacklogReport__Output } from './generated/coupler/sync/v1/BacklogReport.js';
export type { BatchAck, BatchAck__Output } from './generated/coupler/sync/v1/BatchAck.js';
export type { LaneBacklog, LaneBacklog__Output } from './generated/coupler/sync/v1/LaneBacklog.js';
export type { Hello, Hello__Output } from './generated/coupler/sync/v1/Hello.js';
export type { Lane, Lane__Output } from './generated/coupler/sync/v1/Lane.js';
export type { Quality, Quality__Output } from './generated/coupler/sync/v1/Quality.js';
export type { Record as WireRecord, Record__Output as WireRecord__Output } from './generated/coupler/sync/v1/Record.js';
export type { RecordBatch, RecordBatch__Output } from './generated/coupler/sync/v1/RecordBatch.js';
export type { SequenceRange, SequenceRange__Output } from './generated/coupler/sync/v1/SequenceRange.js';
export type { SyncRequest, SyncRequest__Output } from './generated/coupler/sync/v1/SyncRequest.js';
export type { SyncResponse, SyncResponse__Output } from './generated/coupler/sync/v1/SyncResponse.js';
export type { Welcome, Welcome__Output } from './generated/coupler/sync/v1/Welcome.js';
export type {
  SyncServiceClient,
  SyncServiceDefinition,
  SyncServiceHandlers,
} from './generated/coupler/sync/v1/SyncService.js';
export type { Value as WireValue, Value__Output as WireValue__Output } from './generated/coupler/sync/v1/Value.js';
export type { ProtoGrpcType as IdentityProtoGrpcType } from './generated/identity.js';
export type { ProtoGrpcType as FleetProtoGrpcType } from './generated/fleet.js';
export type { AuditEvent, AuditEvent__Output } from './generated/coupler/identity/v1/AuditEvent.js';
export type { CreateApiKeyRequest__Output, CreateApiKeyResponse } from './identity-types.js';
export type {
  CreateBootstrapTokenRequest__Output,
  CreateBootstrapTokenResponse,
  EnrollRequest,
  EnrollRequest__Output,
  EnrollResponse,
  EnrollResponse__Output,
  ListAuditEventsRequest__Output,
  ListAuditEventsResponse,
  RevokeApiKeyRequest__Output,
  RevokeGatewayRequest__Output,
  RevokeGatewayResponse,
  Role as IdentityRole,
  Role__Output as IdentityRole__Output,
} from './identity-types.js';
export type { EnrolmentServiceClient } from './generated/coupler/identity/v1/EnrolmentService.js';
export type { IdentityAdminServiceClient } from './generated/coupler/identity/v1/IdentityAdminService.js';
export type { FleetServiceClient } from './generated/coupler/fleet/v1/FleetService.js';
export type { Gateway as FleetGateway, Gateway__Output as FleetGateway__Output } from './generated/coupler/fleet/v1/Gateway.js';
export type { ListGatewaysResponse, ListGatewaysResponse__Output } from './generated/coupler/fleet/v1/ListGatewaysResponse.js';
export type { ProtoGrpcType as OtaProtoGrpcType } from './generated/ota.js';
export type { ArtifactServiceClient } from './generated/coupler/ota/v1/ArtifactService.js';
export type { Artifact as OtaArtifact, Artifact__Output as OtaArtifact__Output } from './generated/coupler/ota/v1/Artifact.js';
export type { ArtifactChunk, ArtifactChunk__Output } from './generated/coupler/ota/v1/ArtifactChunk.js';
export type { ArtifactKind as OtaArtifactKind, ArtifactKind__Output as OtaArtifactKind__Output } from './generated/coupler/ota/v1/ArtifactKind.js';
export type { BeginUploadRequest__Output } from './generated/coupler/ota/v1/BeginUploadRequest.js';
export type { UploadChunkRequest__Output } from './generated/coupler/ota/v1/UploadChunkRequest.js';
export type { UploadStatus, UploadStatus__Output } from './generated/coupler/ota/v1/UploadStatus.js';
export type { ReadChunkRequest__Output } from './generated/coupler/ota/v1/ReadChunkRequest.js';
export type { RolloutServiceClient } from './generated/coupler/ota/v1/RolloutService.js';
export type { CreateRolloutRequest__Output as OtaCreateRolloutRequest__Output } from './generated/coupler/ota/v1/CreateRolloutRequest.js';
export type { Rollout as OtaRollout, Rollout__Output as OtaRollout__Output } from './generated/coupler/ota/v1/Rollout.js';
export type { RolloutStatus as OtaRolloutStatus } from './generated/coupler/ota/v1/RolloutStatus.js';
export type { GatewayOutcome as OtaGatewayOutcome } from './generated/coupler/ota/v1/GatewayOutcome.js';
export { decodeWireRecord, encodeWireRecord, frameRecordBatch } from './wire.js';
export { ColumnsFormatError, decodeColumnGroups, decodeColumns, encodeColumns, MAX_VALUES_PER_BATCH, recordsOfColumnGroups } from './columns/index.js';
export type { ColumnBatch, ColumnGroup } from './columns/index.js';
export { plainColumnGroupsOf, plainRecordBatchMessage, readPlainRecordBatchRequest, type PlainRecordBatch } from './columns/index.js';
export type { BatchEncoding, BatchEncoding__Output } from './generated/coupler/sync/v1/BatchEncoding.js';
export { CORRELATION_ID_METADATA_KEY, CORRELATION_ID_PATTERN } from './correlation.js';
export type { DeviceReport, DeviceReport__Output } from './generated/coupler/sync/v1/DeviceReport.js';
export type { DeviceState, DeviceState__Output } from './generated/coupler/sync/v1/DeviceState.js';
export type { AppliedItem, AppliedItem__Output } from './generated/coupler/sync/v1/AppliedItem.js';
export type { DesiredArtifact, DesiredArtifact__Output } from './generated/coupler/sync/v1/DesiredArtifact.js';
export type { DesiredFirmware, DesiredFirmware__Output } from './generated/coupler/sync/v1/DesiredFirmware.js';
export type { DesiredState, DesiredState__Output } from './generated/coupler/sync/v1/DesiredState.js';
export type { DesiredStateReport, DesiredStateReport__Output } from './generated/coupler/sync/v1/DesiredStateReport.js';
export type { GatewayLabels, GatewayLabels__Output } from './generated/coupler/fleet/v1/GatewayLabels.js';
export type { ListGatewaysRequest__Output } from './generated/coupler/fleet/v1/ListGatewaysRequest.js';
export type { SetGatewayLabelsRequest__Output, SetGatewayLabelsResponse, DesiredStateLayer, DesiredStateLayer__Output, GatewayDesiredState, GetDesiredStateLayerRequest__Output, GetGatewayDesiredStateRequest__Output, SetDesiredStateRequest__Output } from './fleet-types.js';
export type {
  ApplyTemplateRequest__Output,
  ApplyTemplateResponse,
  ApplyTemplateResponse__Output,
  CreateTemplateRequest__Output,
  GetTemplateRequest__Output,
  ListTemplatesRequest__Output,
  ListTemplatesResponse,
  ListTemplatesResponse__Output,
  Template,
  Template__Output,
  TemplateModbusDevice__Output,
  TemplateServiceClient,
} from './fleet-types.js';
export type {
  BillingRecord,
  BillingRecord__Output,
  ExportBillingChunk,
  ExportBillingChunk__Output,
  ExportBillingRequest,
  ExportBillingRequest__Output,
  ExportFormat,
  ExportFormat__Output,
  QueryRequest,
  QueryRequest__Output,
  QueryResponse,
  QueryResponse__Output,
  TelemetryBucket,
  TelemetryBucket__Output,
  TelemetryPoint,
  TelemetryPoint__Output,
  TelemetryProtoGrpcType,
  TelemetrySeries,
  TelemetrySeries__Output,
  TelemetryServiceClient,
} from './telemetry-types.js';
