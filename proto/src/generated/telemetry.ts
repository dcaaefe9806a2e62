import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Artifact as _coupler_ota_v1_Artifact, Artifact__Output as _coupler_ota_v1_Artifact__Output } from './coupler/ota/v1/Artifact.js';
import type { ArtifactChunk as _coupler_ota_v1_ArtifactChunk, ArtifactChunk__Output as _coupler_ota_v1_ArtifactChunk__Output } from './coupler/ota/v1/ArtifactChunk.js';
import type { ArtifactServiceClient as _coupler_ota_v1_ArtifactServiceClient, ArtifactServiceDefinition as _coupler_ota_v1_ArtifactServiceDefinition } from './coupler/ota/v1/ArtifactService.js';
import type { BeginUploadRequest as _coupler_ota_v1_BeginUploadRequest, BeginUploadRequest__Output as _coupler_ota_v1_BeginUploadRequest__Output } from './coupler/ota/v1/BeginUploadRequest.js';
import type { CompleteUploadRequest as _coupler_ota_v1_CompleteUploadRequest, CompleteUploadRequest__Output as _coupler_ota_v1_CompleteUploadRequest__Output } from './coupler/ota/v1/CompleteUploadRequest.js';
import type { CreateRolloutRequest as _coupler_ota_v1_CreateRolloutRequest, CreateRolloutRequest__Output as _coupler_ota_v1_CreateRolloutRequest__Output } from './coupler/ota/v1/CreateRolloutRequest.js';
import type { GatewayProgress as _coupler_ota_v1_GatewayProgress, GatewayProgress__Output as _coupler_ota_v1_GatewayProgress__Output } from './coupler/ota/v1/GatewayProgress.js';
import type { GetArtifactRequest as _coupler_ota_v1_GetArtifactRequest, GetArtifactRequest__Output as _coupler_ota_v1_GetArtifactRequest__Output } from './coupler/ota/v1/GetArtifactRequest.js';
import type { ReadChunkRequest as _coupler_ota_v1_ReadChunkRequest, ReadChunkRequest__Output as _coupler_ota_v1_ReadChunkRequest__Output } from './coupler/ota/v1/ReadChunkRequest.js';
import type { Rollout as _coupler_ota_v1_Rollout, Rollout__Output as _coupler_ota_v1_Rollout__Output } from './coupler/ota/v1/Rollout.js';
import type { RolloutRequest as _coupler_ota_v1_RolloutRequest, RolloutRequest__Output as _coupler_ota_v1_RolloutRequest__Output } from './coupler/ota/v1/RolloutRequest.js';
import type { RolloutServiceClient as _coupler_ota_v1_RolloutServiceClient, RolloutServiceDefinition as _coupler_ota_v1_RolloutServiceDefinition } from './coupler/ota/v1/RolloutService.js';
import type { Selector as _coupler_ota_v1_Selector, Selector__Output as _coupler_ota_v1_Selector__Output } from './coupler/ota/v1/Selector.js';
import type { UploadChunkRequest as _coupler_ota_v1_UploadChunkRequest, UploadChunkRequest__Output as _coupler_ota_v1_UploadChunkRequest__Output } from './coupler/ota/v1/UploadChunkRequest.js';
import type { UploadStatus as _coupler_ota_v1_UploadStatus, UploadStatus__Output as _coupler_ota_v1_UploadStatus__Output } from './coupler/ota/v1/UploadStatus.js';
import type { Wave as _coupler_ota_v1_Wave, Wave__Output as _coupler_ota_v1_Wave__Output } from './coupler/ota/v1/Wave.js';
import type { AppliedItem as _coupler_sync_v1_AppliedItem, AppliedItem__Output as _coupler_sync_v1_AppliedItem__Output } from './coupler/sync/v1/AppliedItem.js';
import type { BacklogReport as _coupler_sync_v1_BacklogReport, BacklogReport__Output as _coupler_sync_v1_BacklogReport__Output } from './coupler/sync/v1/BacklogReport.js';
import type { BatchAck as _coupler_sync_v1_BatchAck, BatchAck__Output as _coupler_sync_v1_BatchAck__Output } from './coupler/sync/v1/BatchAck.js';
import type { DesiredArtifact as _coupler_sync_v1_DesiredArtifact, DesiredArtifact__Output as _coupler_sync_v1_DesiredArtifact__Output } from './coupler/sync/v1/DesiredArtifact.js';
import type { DesiredFirmware as _coupler_sync_v1_DesiredFirmware, DesiredFirmware__Output as _coupler_sync_v1_DesiredFirmware__Output } from './coupler/sync/v1/DesiredFirmware.js';
import type { DesiredState as _coupler_sync_v1_DesiredState, DesiredState__Output as _coupler_sync_v1_DesiredState__Output } from './coupler/sync/v1/DesiredState.js';
import type { DesiredStateReport as _coupler_sync_v1_DesiredStateReport, DesiredStateReport__Output as _coupler_sync_v1_DesiredStateReport__Output } from './coupler/sync/v1/DesiredStateReport.js';
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
import type { Welcome as _coupler_sync_v1_Welcome, Welcome__Output as _coupler_sync_v1_Welcome__Output } from './coupler/sync/v1/Welcome.js';
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
    ota: {
      v1: {
        Artifact: MessageTypeDefinition<_coupler_ota_v1_Artifact, _coupler_ota_v1_Artifact__Output>
        ArtifactChunk: MessageTypeDefinition<_coupler_ota_v1_ArtifactChunk, _coupler_ota_v1_ArtifactChunk__Output>
        ArtifactKind: EnumTypeDefinition
        ArtifactService: SubtypeConstructor<typeof grpc.Client, _coupler_ota_v1_ArtifactServiceClient> & { service: _coupler_ota_v1_ArtifactServiceDefinition }
        BeginUploadRequest: MessageTypeDefinition<_coupler_ota_v1_BeginUploadRequest, _coupler_ota_v1_BeginUploadRequest__Output>
        CompleteUploadRequest: MessageTypeDefinition<_coupler_ota_v1_CompleteUploadRequest, _coupler_ota_v1_CompleteUploadRequest__Output>
        CreateRolloutRequest: MessageTypeDefinition<_coupler_ota_v1_CreateRolloutRequest, _coupler_ota_v1_CreateRolloutRequest__Output>
        GatewayOutcome: EnumTypeDefinition
        GatewayProgress: MessageTypeDefinition<_coupler_ota_v1_GatewayProgress, _coupler_ota_v1_GatewayProgress__Output>
        GetArtifactRequest: MessageTypeDefinition<_coupler_ota_v1_GetArtifactRequest, _coupler_ota_v1_GetArtifactRequest__Output>
        ReadChunkRequest: MessageTypeDefinition<_coupler_ota_v1_ReadChunkRequest, _coupler_ota_v1_ReadChunkRequest__Output>
        Rollout: MessageTypeDefinition<_coupler_ota_v1_Rollout, _coupler_ota_v1_Rollout__Output>
        RolloutRequest: MessageTypeDefinition<_coupler_ota_v1_RolloutRequest, _coupler_ota_v1_RolloutRequest__Output>
        RolloutService: SubtypeConstructor<typeof grpc.Client, _coupler_ota_v1_RolloutServiceClient> & { service: _coupler_ota_v1_RolloutServiceDefinition }
        RolloutStatus: EnumTypeDefinition
        Selector: MessageTypeDefinition<_coupler_ota_v1_Selector, _coupler_ota_v1_Selector__Output>
        UploadChunkRequest: MessageTypeDefinition<_coupler_ota_v1_UploadChunkRequest, _coupler_ota_v1_UploadChunkRequest__Output>
        UploadStatus: MessageTypeDefinition<_coupler_ota_v1_UploadStatus, _coupler_ota_v1_UploadStatus__Output>
        Wave: MessageTypeDefinition<_coupler_ota_v1_Wave, _coupler_ota_v1_Wave__Output>
      }
    }
    sync: {
      v1: {
        AppliedItem: MessageTypeDefinition<_coupler_sync_v1_AppliedItem, _coupler_sync_v1_AppliedItem__Output>
        BacklogReport: MessageTypeDefinition<_coupler_sync_v1_BacklogReport, _coupler_sync_v1_BacklogReport__Output>
        BatchAck: MessageTypeDefinition<_coupler_sync_v1_BatchAck, _coupler_sync_v1_BatchAck__Output>
        BatchEncoding: EnumTypeDefinition
        DesiredArtifact: MessageTypeDefinition<_coupler_sync_v1_DesiredArtifact, _coupler_sync_v1_DesiredArtifact__Output>
        DesiredFirmware: MessageTypeDefinition<_coupler_sync_v1_DesiredFirmware, _coupler_sync_v1_DesiredFirmware__Output>
        DesiredState: MessageTypeDefinition<_coupler_sync_v1_DesiredState, _coupler_sync_v1_DesiredState__Output>
        DesiredStateReport: MessageTypeDefinition<_coupler_sync_v1_DesiredStateReport, _coupler_sync_v1_DesiredStateReport__Output>
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
        Welcome: MessageTypeDefinition<_coupler_sync_v1_Welcome, _coupler_sync_v1_Welcome__Output>
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

