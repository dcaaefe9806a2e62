import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { ApplyTemplateRequest as _coupler_fleet_v1_ApplyTemplateRequest, ApplyTemplateRequest__Output as _coupler_fleet_v1_ApplyTemplateRequest__Output } from './coupler/fleet/v1/ApplyTemplateRequest.js';
import type { ApplyTemplateResponse as _coupler_fleet_v1_ApplyTemplateResponse, ApplyTemplateResponse__Output as _coupler_fleet_v1_ApplyTemplateResponse__Output } from './coupler/fleet/v1/ApplyTemplateResponse.js';
import type { CreateTemplateRequest as _coupler_fleet_v1_CreateTemplateRequest, CreateTemplateRequest__Output as _coupler_fleet_v1_CreateTemplateRequest__Output } from './coupler/fleet/v1/CreateTemplateRequest.js';
import type { DesiredStateLayer as _coupler_fleet_v1_DesiredStateLayer, DesiredStateLayer__Output as _coupler_fleet_v1_DesiredStateLayer__Output } from './coupler/fleet/v1/DesiredStateLayer.js';
import type { Device as _coupler_fleet_v1_Device, Device__Output as _coupler_fleet_v1_Device__Output } from './coupler/fleet/v1/Device.js';
import type { FleetServiceClient as _coupler_fleet_v1_FleetServiceClient, FleetServiceDefinition as _coupler_fleet_v1_FleetServiceDefinition } from './coupler/fleet/v1/FleetService.js';
import type { Gateway as _coupler_fleet_v1_Gateway, Gateway__Output as _coupler_fleet_v1_Gateway__Output } from './coupler/fleet/v1/Gateway.js';
import type { GatewayDesiredState as _coupler_fleet_v1_GatewayDesiredState, GatewayDesiredState__Output as _coupler_fleet_v1_GatewayDesiredState__Output } from './coupler/fleet/v1/GatewayDesiredState.js';
import type { GatewayLabels as _coupler_fleet_v1_GatewayLabels, GatewayLabels__Output as _coupler_fleet_v1_GatewayLabels__Output } from './coupler/fleet/v1/GatewayLabels.js';
import type { GetDesiredStateLayerRequest as _coupler_fleet_v1_GetDesiredStateLayerRequest, GetDesiredStateLayerRequest__Output as _coupler_fleet_v1_GetDesiredStateLayerRequest__Output } from './coupler/fleet/v1/GetDesiredStateLayerRequest.js';
import type { GetGatewayDesiredStateRequest as _coupler_fleet_v1_GetGatewayDesiredStateRequest, GetGatewayDesiredStateRequest__Output as _coupler_fleet_v1_GetGatewayDesiredStateRequest__Output } from './coupler/fleet/v1/GetGatewayDesiredStateRequest.js';
import type { GetTemplateRequest as _coupler_fleet_v1_GetTemplateRequest, GetTemplateRequest__Output as _coupler_fleet_v1_GetTemplateRequest__Output } from './coupler/fleet/v1/GetTemplateRequest.js';
import type { ListGatewaysRequest as _coupler_fleet_v1_ListGatewaysRequest, ListGatewaysRequest__Output as _coupler_fleet_v1_ListGatewaysRequest__Output } from './coupler/fleet/v1/ListGatewaysRequest.js';
import type { ListGatewaysResponse as _coupler_fleet_v1_ListGatewaysResponse, ListGatewaysResponse__Output as _coupler_fleet_v1_ListGatewaysResponse__Output } from './coupler/fleet/v1/ListGatewaysResponse.js';
import type { ListTemplatesRequest as _coupler_fleet_v1_ListTemplatesRequest, ListTemplatesRequest__Output as _coupler_fleet_v1_ListTemplatesRequest__Output } from './coupler/fleet/v1/ListTemplatesRequest.js';
import type { ListTemplatesResponse as _coupler_fleet_v1_ListTemplatesResponse, ListTemplatesResponse__Output as _coupler_fleet_v1_ListTemplatesResponse__Output } from './coupler/fleet/v1/ListTemplatesResponse.js';
import type { SetDesiredStateRequest as _coupler_fleet_v1_SetDesiredStateRequest, SetDesiredStateRequest__Output as _coupler_fleet_v1_SetDesiredStateRequest__Output } from './coupler/fleet/v1/SetDesiredStateRequest.js';
import type { SetGatewayLabelsRequest as _coupler_fleet_v1_SetGatewayLabelsRequest, SetGatewayLabelsRequest__Output as _coupler_fleet_v1_SetGatewayLabelsRequest__Output } from './coupler/fleet/v1/SetGatewayLabelsRequest.js';
import type { SetGatewayLabelsResponse as _coupler_fleet_v1_SetGatewayLabelsResponse, SetGatewayLabelsResponse__Output as _coupler_fleet_v1_SetGatewayLabelsResponse__Output } from './coupler/fleet/v1/SetGatewayLabelsResponse.js';
import type { Template as _coupler_fleet_v1_Template, Template__Output as _coupler_fleet_v1_Template__Output } from './coupler/fleet/v1/Template.js';
import type { TemplateModbusDevice as _coupler_fleet_v1_TemplateModbusDevice, TemplateModbusDevice__Output as _coupler_fleet_v1_TemplateModbusDevice__Output } from './coupler/fleet/v1/TemplateModbusDevice.js';
import type { TemplateServiceClient as _coupler_fleet_v1_TemplateServiceClient, TemplateServiceDefinition as _coupler_fleet_v1_TemplateServiceDefinition } from './coupler/fleet/v1/TemplateService.js';
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

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  coupler: {
    fleet: {
      v1: {
        ApplyTemplateRequest: MessageTypeDefinition<_coupler_fleet_v1_ApplyTemplateRequest, _coupler_fleet_v1_ApplyTemplateRequest__Output>
        ApplyTemplateResponse: MessageTypeDefinition<_coupler_fleet_v1_ApplyTemplateResponse, _coupler_fleet_v1_ApplyTemplateResponse__Output>
        CreateTemplateRequest: MessageTypeDefinition<_coupler_fleet_v1_CreateTemplateRequest, _coupler_fleet_v1_CreateTemplateRequest__Output>
        DesiredStateLayer: MessageTypeDefinition<_coupler_fleet_v1_DesiredStateLayer, _coupler_fleet_v1_DesiredStateLayer__Output>
        Device: MessageTypeDefinition<_coupler_fleet_v1_Device, _coupler_fleet_v1_Device__Output>
        FleetService: SubtypeConstructor<typeof grpc.Client, _coupler_fleet_v1_FleetServiceClient> & { service: _coupler_fleet_v1_FleetServiceDefinition }
        Gateway: MessageTypeDefinition<_coupler_fleet_v1_Gateway, _coupler_fleet_v1_Gateway__Output>
        GatewayDesiredState: MessageTypeDefinition<_coupler_fleet_v1_GatewayDesiredState, _coupler_fleet_v1_GatewayDesiredState__Output>
        GatewayLabels: MessageTypeDefinition<_coupler_fleet_v1_GatewayLabels, _coupler_fleet_v1_GatewayLabels__Output>
        GetDesiredStateLayerRequest: MessageTypeDefinition<_coupler_fleet_v1_GetDesiredStateLayerRequest, _coupler_fleet_v1_GetDesiredStateLayerRequest__Output>
        GetGatewayDesiredStateRequest: MessageTypeDefinition<_coupler_fleet_v1_GetGatewayDesiredStateRequest, _coupler_fleet_v1_GetGatewayDesiredStateRequest__Output>
        GetTemplateRequest: MessageTypeDefinition<_coupler_fleet_v1_GetTemplateRequest, _coupler_fleet_v1_GetTemplateRequest__Output>
        ListGatewaysRequest: MessageTypeDefinition<_coupler_fleet_v1_ListGatewaysRequest, _coupler_fleet_v1_ListGatewaysRequest__Output>
        ListGatewaysResponse: MessageTypeDefinition<_coupler_fleet_v1_ListGatewaysResponse, _coupler_fleet_v1_ListGatewaysResponse__Output>
        ListTemplatesRequest: MessageTypeDefinition<_coupler_fleet_v1_ListTemplatesRequest, _coupler_fleet_v1_ListTemplatesRequest__Output>
        ListTemplatesResponse: MessageTypeDefinition<_coupler_fleet_v1_ListTemplatesResponse, _coupler_fleet_v1_ListTemplatesResponse__Output>
        SetDesiredStateRequest: MessageTypeDefinition<_coupler_fleet_v1_SetDesiredStateRequest, _coupler_fleet_v1_SetDesiredStateRequest__Output>
        SetGatewayLabelsRequest: MessageTypeDefinition<_coupler_fleet_v1_SetGatewayLabelsRequest, _coupler_fleet_v1_SetGatewayLabelsRequest__Output>
        SetGatewayLabelsResponse: MessageTypeDefinition<_coupler_fleet_v1_SetGatewayLabelsResponse, _coupler_fleet_v1_SetGatewayLabelsResponse__Output>
        Template: MessageTypeDefinition<_coupler_fleet_v1_Template, _coupler_fleet_v1_Template__Output>
        TemplateModbusDevice: MessageTypeDefinition<_coupler_fleet_v1_TemplateModbusDevice, _coupler_fleet_v1_TemplateModbusDevice__Output>
        TemplateService: SubtypeConstructor<typeof grpc.Client, _coupler_fleet_v1_TemplateServiceClient> & { service: _coupler_fleet_v1_TemplateServiceDefinition }
      }
    }
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
  }
}

