export { loadCouplerProto, PROTO_FILES, PROTO_LOAD_OPTIONS } from './load.js';
export type { CouplerProto } from './load.js';
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
export type {
  SyncServiceClient,
  SyncServiceDefinition,
  SyncServiceHandlers,
} from './generated/coupler/sync/v1/SyncService.js';
export type { Value as WireValue, Value__Output as WireValue__Output } from './generated/coupler/sync/v1/Value.js';
export { decodeWireRecord, encodeWireRecord, frameRecordBatch } from './wire.js';
