// Original file: proto/coupler/identity/v1/identity.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { EnrollRequest as _coupler_identity_v1_EnrollRequest, EnrollRequest__Output as _coupler_identity_v1_EnrollRequest__Output } from '../../../coupler/identity/v1/EnrollRequest.js';
import type { EnrollResponse as _coupler_identity_v1_EnrollResponse, EnrollResponse__Output as _coupler_identity_v1_EnrollResponse__Output } from '../../../coupler/identity/v1/EnrollResponse.js';

export interface EnrolmentServiceClient extends grpc.Client {
  Enroll(argument: _coupler_identity_v1_EnrollRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  Enroll(argument: _coupler_identity_v1_EnrollRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_identity_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  Enroll(argument: _coupler_identity_v1_EnrollRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  Enroll(argument: _coupler_identity_v1_EnrollRequest, callback: grpc.requestCallback<_coupler_identity_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  enroll(argument: _coupler_identity_v1_EnrollRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  enroll(argument: _coupler_identity_v1_EnrollRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_identity_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  enroll(argument: _coupler_identity_v1_EnrollRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_identity_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  enroll(argument: _coupler_identity_v1_EnrollRequest, callback: grpc.requestCallback<_coupler_identity_v1_EnrollResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface EnrolmentServiceHandlers extends grpc.UntypedServiceImplementation {
  Enroll: grpc.handleUnaryCall<_coupler_identity_v1_EnrollRequest__Output, _coupler_identity_v1_EnrollResponse>;
  
}

export interface EnrolmentServiceDefinition extends grpc.ServiceDefinition {
  Enroll: MethodDefinition<_coupler_identity_v1_EnrollRequest, _coupler_identity_v1_EnrollResponse, _coupler_identity_v1_EnrollRequest__Output, _coupler_identity_v1_EnrollResponse__Output>
}
