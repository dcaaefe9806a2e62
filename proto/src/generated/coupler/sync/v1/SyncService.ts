// Original file: proto/coupler/sync/v1/sync.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { SyncRequest as _coupler_sync_v1_SyncRequest, SyncRequest__Output as _coupler_sync_v1_SyncRequest__Output } from '../../../coupler/sync/v1/SyncRequest.js';
import type { SyncResponse as _coupler_sync_v1_SyncResponse, SyncResponse__Output as _coupler_sync_v1_SyncResponse__Output } from '../../../coupler/sync/v1/SyncResponse.js';

export interface SyncServiceClient extends grpc.Client {
  Sync(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_coupler_sync_v1_SyncRequest, _coupler_sync_v1_SyncResponse__Output>;
  Sync(options?: grpc.CallOptions): grpc.ClientDuplexStream<_coupler_sync_v1_SyncRequest, _coupler_sync_v1_SyncResponse__Output>;
  sync(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_coupler_sync_v1_SyncRequest, _coupler_sync_v1_SyncResponse__Output>;
  sync(options?: grpc.CallOptions): grpc.ClientDuplexStream<_coupler_sync_v1_SyncRequest, _coupler_sync_v1_SyncResponse__Output>;
  
}

export interface SyncServiceHandlers extends grpc.UntypedServiceImplementation {
  Sync: grpc.handleBidiStreamingCall<_coupler_sync_v1_SyncRequest__Output, _coupler_sync_v1_SyncResponse>;
  
}

export interface SyncServiceDefinition extends grpc.ServiceDefinition {
  Sync: MethodDefinition<_coupler_sync_v1_SyncRequest, _coupler_sync_v1_SyncResponse, _coupler_sync_v1_SyncRequest__Output, _coupler_sync_v1_SyncResponse__Output>
}
