// Original file: proto/coupler/ota/v1/ota.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Artifact as _coupler_ota_v1_Artifact, Artifact__Output as _coupler_ota_v1_Artifact__Output } from '../../../coupler/ota/v1/Artifact.js';
import type { ArtifactChunk as _coupler_ota_v1_ArtifactChunk, ArtifactChunk__Output as _coupler_ota_v1_ArtifactChunk__Output } from '../../../coupler/ota/v1/ArtifactChunk.js';
import type { BeginUploadRequest as _coupler_ota_v1_BeginUploadRequest, BeginUploadRequest__Output as _coupler_ota_v1_BeginUploadRequest__Output } from '../../../coupler/ota/v1/BeginUploadRequest.js';
import type { CompleteUploadRequest as _coupler_ota_v1_CompleteUploadRequest, CompleteUploadRequest__Output as _coupler_ota_v1_CompleteUploadRequest__Output } from '../../../coupler/ota/v1/CompleteUploadRequest.js';
import type { GetArtifactRequest as _coupler_ota_v1_GetArtifactRequest, GetArtifactRequest__Output as _coupler_ota_v1_GetArtifactRequest__Output } from '../../../coupler/ota/v1/GetArtifactRequest.js';
import type { ReadChunkRequest as _coupler_ota_v1_ReadChunkRequest, ReadChunkRequest__Output as _coupler_ota_v1_ReadChunkRequest__Output } from '../../../coupler/ota/v1/ReadChunkRequest.js';
import type { UploadChunkRequest as _coupler_ota_v1_UploadChunkRequest, UploadChunkRequest__Output as _coupler_ota_v1_UploadChunkRequest__Output } from '../../../coupler/ota/v1/UploadChunkRequest.js';
import type { UploadStatus as _coupler_ota_v1_UploadStatus, UploadStatus__Output as _coupler_ota_v1_UploadStatus__Output } from '../../../coupler/ota/v1/UploadStatus.js';

export interface ArtifactServiceClient extends grpc.Client {
  BeginUpload(argument: _coupler_ota_v1_BeginUploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  BeginUpload(argument: _coupler_ota_v1_BeginUploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  BeginUpload(argument: _coupler_ota_v1_BeginUploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  BeginUpload(argument: _coupler_ota_v1_BeginUploadRequest, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  beginUpload(argument: _coupler_ota_v1_BeginUploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  beginUpload(argument: _coupler_ota_v1_BeginUploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  beginUpload(argument: _coupler_ota_v1_BeginUploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  beginUpload(argument: _coupler_ota_v1_BeginUploadRequest, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  
  CompleteUpload(argument: _coupler_ota_v1_CompleteUploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  CompleteUpload(argument: _coupler_ota_v1_CompleteUploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  CompleteUpload(argument: _coupler_ota_v1_CompleteUploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  CompleteUpload(argument: _coupler_ota_v1_CompleteUploadRequest, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  completeUpload(argument: _coupler_ota_v1_CompleteUploadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  completeUpload(argument: _coupler_ota_v1_CompleteUploadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  completeUpload(argument: _coupler_ota_v1_CompleteUploadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  completeUpload(argument: _coupler_ota_v1_CompleteUploadRequest, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  
  GetArtifact(argument: _coupler_ota_v1_GetArtifactRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  GetArtifact(argument: _coupler_ota_v1_GetArtifactRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  GetArtifact(argument: _coupler_ota_v1_GetArtifactRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  GetArtifact(argument: _coupler_ota_v1_GetArtifactRequest, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  getArtifact(argument: _coupler_ota_v1_GetArtifactRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  getArtifact(argument: _coupler_ota_v1_GetArtifactRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  getArtifact(argument: _coupler_ota_v1_GetArtifactRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  getArtifact(argument: _coupler_ota_v1_GetArtifactRequest, callback: grpc.requestCallback<_coupler_ota_v1_Artifact__Output>): grpc.ClientUnaryCall;
  
  ReadChunk(argument: _coupler_ota_v1_ReadChunkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_ArtifactChunk__Output>): grpc.ClientUnaryCall;
  ReadChunk(argument: _coupler_ota_v1_ReadChunkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_ArtifactChunk__Output>): grpc.ClientUnaryCall;
  ReadChunk(argument: _coupler_ota_v1_ReadChunkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_ArtifactChunk__Output>): grpc.ClientUnaryCall;
  ReadChunk(argument: _coupler_ota_v1_ReadChunkRequest, callback: grpc.requestCallback<_coupler_ota_v1_ArtifactChunk__Output>): grpc.ClientUnaryCall;
  readChunk(argument: _coupler_ota_v1_ReadChunkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_ArtifactChunk__Output>): grpc.ClientUnaryCall;
  readChunk(argument: _coupler_ota_v1_ReadChunkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_ArtifactChunk__Output>): grpc.ClientUnaryCall;
  readChunk(argument: _coupler_ota_v1_ReadChunkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_ArtifactChunk__Output>): grpc.ClientUnaryCall;
  readChunk(argument: _coupler_ota_v1_ReadChunkRequest, callback: grpc.requestCallback<_coupler_ota_v1_ArtifactChunk__Output>): grpc.ClientUnaryCall;
  
  UploadChunk(argument: _coupler_ota_v1_UploadChunkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  UploadChunk(argument: _coupler_ota_v1_UploadChunkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  UploadChunk(argument: _coupler_ota_v1_UploadChunkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  UploadChunk(argument: _coupler_ota_v1_UploadChunkRequest, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  uploadChunk(argument: _coupler_ota_v1_UploadChunkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  uploadChunk(argument: _coupler_ota_v1_UploadChunkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  uploadChunk(argument: _coupler_ota_v1_UploadChunkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  uploadChunk(argument: _coupler_ota_v1_UploadChunkRequest, callback: grpc.requestCallback<_coupler_ota_v1_UploadStatus__Output>): grpc.ClientUnaryCall;
  
}

export interface ArtifactServiceHandlers extends grpc.UntypedServiceImplementation {
  BeginUpload: grpc.handleUnaryCall<_coupler_ota_v1_BeginUploadRequest__Output, _coupler_ota_v1_UploadStatus>;
  
  CompleteUpload: grpc.handleUnaryCall<_coupler_ota_v1_CompleteUploadRequest__Output, _coupler_ota_v1_Artifact>;
  
  GetArtifact: grpc.handleUnaryCall<_coupler_ota_v1_GetArtifactRequest__Output, _coupler_ota_v1_Artifact>;
  
  ReadChunk: grpc.handleUnaryCall<_coupler_ota_v1_ReadChunkRequest__Output, _coupler_ota_v1_ArtifactChunk>;
  
  UploadChunk: grpc.handleUnaryCall<_coupler_ota_v1_UploadChunkRequest__Output, _coupler_ota_v1_UploadStatus>;
  
}

export interface ArtifactServiceDefinition extends grpc.ServiceDefinition {
  BeginUpload: MethodDefinition<_coupler_ota_v1_BeginUploadRequest, _coupler_ota_v1_UploadStatus, _coupler_ota_v1_BeginUploadRequest__Output, _coupler_ota_v1_UploadStatus__Output>
  CompleteUpload: MethodDefinition<_coupler_ota_v1_CompleteUploadRequest, _coupler_ota_v1_Artifact, _coupler_ota_v1_CompleteUploadRequest__Output, _coupler_ota_v1_Artifact__Output>
  GetArtifact: MethodDefinition<_coupler_ota_v1_GetArtifactRequest, _coupler_ota_v1_Artifact, _coupler_ota_v1_GetArtifactRequest__Output, _coupler_ota_v1_Artifact__Output>
  ReadChunk: MethodDefinition<_coupler_ota_v1_ReadChunkRequest, _coupler_ota_v1_ArtifactChunk, _coupler_ota_v1_ReadChunkRequest__Output, _coupler_ota_v1_ArtifactChunk__Output>
  UploadChunk: MethodDefinition<_coupler_ota_v1_UploadChunkRequest, _coupler_ota_v1_UploadStatus, _coupler_ota_v1_UploadChunkRequest__Output, _coupler_ota_v1_UploadStatus__Output>
}
