// Original file: proto/coupler/ota/v1/ota.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateRolloutRequest as _coupler_ota_v1_CreateRolloutRequest, CreateRolloutRequest__Output as _coupler_ota_v1_CreateRolloutRequest__Output } from '../../../coupler/ota/v1/CreateRolloutRequest.js';
import type { Rollout as _coupler_ota_v1_Rollout, Rollout__Output as _coupler_ota_v1_Rollout__Output } from '../../../coupler/ota/v1/Rollout.js';
import type { RolloutRequest as _coupler_ota_v1_RolloutRequest, RolloutRequest__Output as _coupler_ota_v1_RolloutRequest__Output } from '../../../coupler/ota/v1/RolloutRequest.js';

export interface RolloutServiceClient extends grpc.Client {
  AbortRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  AbortRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  AbortRollout(argument: _coupler_ota_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  AbortRollout(argument: _coupler_ota_v1_RolloutRequest, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  abortRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  abortRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  abortRollout(argument: _coupler_ota_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  abortRollout(argument: _coupler_ota_v1_RolloutRequest, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  
  CreateRollout(argument: _coupler_ota_v1_CreateRolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  CreateRollout(argument: _coupler_ota_v1_CreateRolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  CreateRollout(argument: _coupler_ota_v1_CreateRolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  CreateRollout(argument: _coupler_ota_v1_CreateRolloutRequest, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  createRollout(argument: _coupler_ota_v1_CreateRolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  createRollout(argument: _coupler_ota_v1_CreateRolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  createRollout(argument: _coupler_ota_v1_CreateRolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  createRollout(argument: _coupler_ota_v1_CreateRolloutRequest, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  
  GetRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  GetRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  GetRollout(argument: _coupler_ota_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  GetRollout(argument: _coupler_ota_v1_RolloutRequest, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  getRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  getRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  getRollout(argument: _coupler_ota_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  getRollout(argument: _coupler_ota_v1_RolloutRequest, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  
  ResumeRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  ResumeRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  ResumeRollout(argument: _coupler_ota_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  ResumeRollout(argument: _coupler_ota_v1_RolloutRequest, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  resumeRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  resumeRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  resumeRollout(argument: _coupler_ota_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  resumeRollout(argument: _coupler_ota_v1_RolloutRequest, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  
  RollbackRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  RollbackRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  RollbackRollout(argument: _coupler_ota_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  RollbackRollout(argument: _coupler_ota_v1_RolloutRequest, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  rollbackRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  rollbackRollout(argument: _coupler_ota_v1_RolloutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  rollbackRollout(argument: _coupler_ota_v1_RolloutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  rollbackRollout(argument: _coupler_ota_v1_RolloutRequest, callback: grpc.requestCallback<_coupler_ota_v1_Rollout__Output>): grpc.ClientUnaryCall;
  
}

export interface RolloutServiceHandlers extends grpc.UntypedServiceImplementation {
  AbortRollout: grpc.handleUnaryCall<_coupler_ota_v1_RolloutRequest__Output, _coupler_ota_v1_Rollout>;
  
  CreateRollout: grpc.handleUnaryCall<_coupler_ota_v1_CreateRolloutRequest__Output, _coupler_ota_v1_Rollout>;
  
  GetRollout: grpc.handleUnaryCall<_coupler_ota_v1_RolloutRequest__Output, _coupler_ota_v1_Rollout>;
  
  ResumeRollout: grpc.handleUnaryCall<_coupler_ota_v1_RolloutRequest__Output, _coupler_ota_v1_Rollout>;
  
  RollbackRollout: grpc.handleUnaryCall<_coupler_ota_v1_RolloutRequest__Output, _coupler_ota_v1_Rollout>;
  
}

export interface RolloutServiceDefinition extends grpc.ServiceDefinition {
  AbortRollout: MethodDefinition<_coupler_ota_v1_RolloutRequest, _coupler_ota_v1_Rollout, _coupler_ota_v1_RolloutRequest__Output, _coupler_ota_v1_Rollout__Output>
  CreateRollout: MethodDefinition<_coupler_ota_v1_CreateRolloutRequest, _coupler_ota_v1_Rollout, _coupler_ota_v1_CreateRolloutRequest__Output, _coupler_ota_v1_Rollout__Output>
  GetRollout: MethodDefinition<_coupler_ota_v1_RolloutRequest, _coupler_ota_v1_Rollout, _coupler_ota_v1_RolloutRequest__Output, _coupler_ota_v1_Rollout__Output>
  ResumeRollout: MethodDefinition<_coupler_ota_v1_RolloutRequest, _coupler_ota_v1_Rollout, _coupler_ota_v1_RolloutRequest__Output, _coupler_ota_v1_Rollout__Output>
  RollbackRollout: MethodDefinition<_coupler_ota_v1_RolloutRequest, _coupler_ota_v1_Rollout, _coupler_ota_v1_RolloutRequest__Output, _coupler_ota_v1_Rollout__Output>
}
