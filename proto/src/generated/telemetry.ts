import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BacklogReport as _coupler_sync_v1_BacklogReport, BacklogReport__Output as _coupler_sync_v1_BacklogReport__Output } from './coupler/sync/v1/BacklogReport.js';
import type { BatchAck as _coupler_sync_v1_BatchAck, BatchAck__Output as _coupler_sync_v1_BatchAck__Output } from './coupler/sync/v1/BatchAck.js';
import type { DeviceReport as _coupler_sync_v1_DeviceReport, DeviceReport__Output as _coupler_sync_v1_DeviceReport__Output } from './coupler/sync/v1/DeviceReport.js';
import type { DeviceState as _coupler_sync_v1_DeviceState, DeviceState__Output as _coupler_sync_v1_DeviceState__Output } from './coupler/sync/v1/DeviceState.js';
import type { Hello as _coupler_sync_v1_Hello, Hello__Output as _coupler_sync_v1_Hello__Output } from './coupler/sync/v1/Hello.js';
import type { LaneBacklog as _coupler_sync_v1_LaneBacklog, LaneBacklog__Output as _coupler_sync_v1_LaneBacklog__Output } from './coupler/sync/v1/LaneBacklog.js';
import type { Record as _coupler_sync_v1_Record, Record__Output as _coupler_sync_v1_Record__Output } from './coupler/sync/v1/Record.js';
import type { RecordBatch as _coupler_sync_v1_RecordBatch, RecordBatch__Output as _coupler_sync_v1_RecordBatch__Output } from './coupler/sync/v1/RecordBatch.js';
import type { SequenceRange as _coupler_sync_v1_SequenceRange, SequenceRange__Output as _coupler_sync_v1_SequenceRange__Output } from './coupler/sync/v1/SequenceRange.js';
import type { SyncRequest as _coupler_sync_v1_SyncRequest, SyncRequest__Output as _coupler_sync_v1_SyncRequest__Output } from './coupler/sync/v1/SyncRequest.js';
import type { SyncResponse as _coupler_sync_v1_SyncResponse, SyncResponse__Output as _coupler_sync_v1_SyncResponse__Output } from './coupler/sync/v1/SyncResponse.js';
import type { SyncServiceClient as _coupler_sync_v1_SyncServiceClient, SyncServiceDefinition as _coupler_sync_v1_SyncServiceDefinition } from './coupler/sync/v1/SyncService.js';
import type { Value as _coupler_sync_v1_Value, Value__Output as _coupler_sync_v1_Value__Output } from './coupler/sync/v1/Value.js';
import type { BillingRecord as _coupler_telemetry_v1_BillingRecord, BillingRecord__Output as _coupler_telemetry_v1_BillingRecord__Output } from './coupler/telemetry/v1/BillingRecord.js';
import type { BillingRecords as _coupler_telemetry_v1_BillingRecords, BillingRecords__Output as _coupler_telemetry_v1_BillingRecords__Output } from './coupler/telemetry/v1/BillingRecords.js';
import type { Bucket as _coupler_telemetry_v1_Bucket, Bucket__Output as _coupler_telemetry_v1_Bucket__Output } from './coupler/telemetry/v1/Bucket.js';
import type { ExportBillingChunk as _coupler_telemetry_v1_ExportBillingChunk, ExportBillingChunk__Output as _coupler_telemetry_v1_ExportBillingChunk__Output } from './coupler/telemetry/v1/ExportBillingChunk.js';
import type { ExportBillingRequest as _coupler_telemetry_v1_ExportBillingRequest, ExportBillingRequest__Output as _coupler_telemetry_v1_ExportBillingRequest__Output } from './coupler/telemetry/v1/ExportBillingRequest.js';
import type { Point as _coupler_telemetry_v1_Point, Point__Output as _coupler_telemetry_v1_Point__Output } from './coupler/telemetry/v1/Point.js';
import type { Position as _coupler_telemetry_v1_Position, Position__Output as _coupler_telemetry_v1_Position__Output } from './coupler/telemetry/v1/Position.js';
import type { QueryRequest as _coupler_telemetry_v1_QueryRequest, QueryRequest__Output as _coupler_telemetry_v1_QueryRequest__Output } from './coupler/telemetry/v1/QueryRequest.js';
import type { QueryResponse as _coupler_telemetry_v1_QueryResponse, QueryResponse__Output as _coupler_telemetry_v1_QueryResponse__Output } from './coupler/telemetry/v1/QueryResponse.js';
import type { Series as _coupler_telemetry_v1_Series, Series__Output as _coupler_telemetry_v1_Series__Output } from './coupler/telemetry/v1/Series.js';
import type { TelemetryServiceClient as _coupler_telemetry_v1_TelemetryServiceClient, TelemetryServiceDefinition as _coupler_telemetry_v1_TelemetryServiceDefinition } from './coupler/telemetry/v1/TelemetryService.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  coupler: {
    sync: {
      v1: {
        BacklogReport: MessageTypeDefinition<_coupler_sync_v1_BacklogReport, _coupler_sync_v1_BacklogReport__Output>
        BatchAck: MessageTypeDefinition<_coupler_sync_v1_BatchAck, _coupler_sync_v1_BatchAck__Output>
        DeviceReport: MessageTypeDefinition<_coupler_sync_v1_DeviceReport, _coupler_sync_v1_DeviceReport__Output>
        DeviceState: MessageTypeDefinition<_coupler_sync_v1_DeviceState, _coupler_sync_v1_DeviceState__Output>
        Hello: MessageTypeDefinition<_coupler_sync_v1_Hello, _coupler_sync_v1_Hello__Output>
        Lane: EnumTypeDefinition
        LaneBacklog: MessageTypeDefinition<_coupler_sync_v1_LaneBacklog, _coupler_sync_v1_LaneBacklog__Output>
        Quality: EnumTypeDefinition
        Record: MessageTypeDefinition<_coupler_sync_v1_Record, _coupler_sync_v1_Record__Output>
        RecordBatch: MessageTypeDefinition<_coupler_sync_v1_RecordBatch, _coupler_sync_v1_RecordBatch__Output>
        SequenceRange: MessageTypeDefinition<_coupler_sync_v1_SequenceRange, _coupler_sync_v1_SequenceRange__Output>
        SyncRequest: MessageTypeDefinition<_coupler_sync_v1_SyncRequest, _coupler_sync_v1_SyncRequest__Output>
        SyncResponse: MessageTypeDefinition<_coupler_sync_v1_SyncResponse, _coupler_sync_v1_SyncResponse__Output>
        SyncService: SubtypeConstructor<typeof grpc.Client, _coupler_sync_v1_SyncServiceClient> & { service: _coupler_sync_v1_SyncServiceDefinition }
        Value: MessageTypeDefinition<_coupler_sync_v1_Value, _coupler_sync_v1_Value__Output>
      }
    }
    telemetry: {
      v1: {
        BillingRecord: MessageTypeDefinition<_coupler_telemetry_v1_BillingRecord, _coupler_telemetry_v1_BillingRecord__Output>
        BillingRecords: MessageTypeDefinition<_coupler_telemetry_v1_BillingRecords, _coupler_telemetry_v1_BillingRecords__Output>
        Bucket: MessageTypeDefinition<_coupler_telemetry_v1_Bucket, _coupler_telemetry_v1_Bucket__Output>
        ExportBillingChunk: MessageTypeDefinition<_coupler_telemetry_v1_ExportBillingChunk, _coupler_telemetry_v1_ExportBillingChunk__Output>
        ExportBillingRequest: MessageTypeDefinition<_coupler_telemetry_v1_ExportBillingRequest, _coupler_telemetry_v1_ExportBillingRequest__Output>
        ExportFormat: EnumTypeDefinition
        Point: MessageTypeDefinition<_coupler_telemetry_v1_Point, _coupler_telemetry_v1_Point__Output>
        Position: MessageTypeDefinition<_coupler_telemetry_v1_Position, _coupler_telemetry_v1_Position__Output>
        QueryRequest: MessageTypeDefinition<_coupler_telemetry_v1_QueryRequest, _coupler_telemetry_v1_QueryRequest__Output>
        QueryResponse: MessageTypeDefinition<_coupler_telemetry_v1_QueryResponse, _coupler_telemetry_v1_QueryResponse__Output>
        Series: MessageTypeDefinition<_coupler_telemetry_v1_Series, _coupler_telemetry_v1_Series__Output>
        TelemetryService: SubtypeConstructor<typeof grpc.Client, _coupler_telemetry_v1_TelemetryServiceClient> & { service: _coupler_telemetry_v1_TelemetryServiceDefinition }
      }
    }
  }
}

