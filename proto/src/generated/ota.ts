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
  }
}

