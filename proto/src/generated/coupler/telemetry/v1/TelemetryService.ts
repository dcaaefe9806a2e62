// Original file: proto/coupler/telemetry/v1/telemetry.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ExportBillingChunk as _coupler_telemetry_v1_ExportBillingChunk, ExportBillingChunk__Output as _coupler_telemetry_v1_ExportBillingChunk__Output } from '../../../coupler/telemetry/v1/ExportBillingChunk.js';
import type { ExportBillingRequest as _coupler_telemetry_v1_ExportBillingRequest, ExportBillingRequest__Output as _coupler_telemetry_v1_ExportBillingRequest__Output } from '../../../coupler/telemetry/v1/ExportBillingRequest.js';
import type { QueryRequest as _coupler_telemetry_v1_QueryRequest, QueryRequest__Output as _coupler_telemetry_v1_QueryRequest__Output } from '../../../coupler/telemetry/v1/QueryRequest.js';
import type { QueryResponse as _coupler_telemetry_v1_QueryResponse, QueryResponse__Output as _coupler_telemetry_v1_QueryResponse__Output } from '../../../coupler/telemetry/v1/QueryResponse.js';

export interface TelemetryServiceClient extends grpc.Client {
  ExportBilling(argument: _coupler_telemetry_v1_ExportBillingRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_coupler_telemetry_v1_ExportBillingChunk__Output>;
  ExportBilling(argument: _coupler_telemetry_v1_ExportBillingRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_coupler_telemetry_v1_ExportBillingChunk__Output>;
  exportBilling(argument: _coupler_telemetry_v1_ExportBillingRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_coupler_telemetry_v1_ExportBillingChunk__Output>;
  exportBilling(argument: _coupler_telemetry_v1_ExportBillingRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_coupler_telemetry_v1_ExportBillingChunk__Output>;
  
  Query(argument: _coupler_telemetry_v1_QueryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_telemetry_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  Query(argument: _coupler_telemetry_v1_QueryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_telemetry_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  Query(argument: _coupler_telemetry_v1_QueryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_telemetry_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  Query(argument: _coupler_telemetry_v1_QueryRequest, callback: grpc.requestCallback<_coupler_telemetry_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  query(argument: _coupler_telemetry_v1_QueryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_telemetry_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  query(argument: _coupler_telemetry_v1_QueryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_coupler_telemetry_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  query(argument: _coupler_telemetry_v1_QueryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_coupler_telemetry_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  query(argument: _coupler_telemetry_v1_QueryRequest, callback: grpc.requestCallback<_coupler_telemetry_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface TelemetryServiceHandlers extends grpc.UntypedServiceImplementation {
  ExportBilling: grpc.handleServerStreamingCall<_coupler_telemetry_v1_ExportBillingRequest__Output, _coupler_telemetry_v1_ExportBillingChunk>;
  
  Query: grpc.handleUnaryCall<_coupler_telemetry_v1_QueryRequest__Output, _coupler_telemetry_v1_QueryResponse>;
  
}

export interface TelemetryServiceDefinition extends grpc.ServiceDefinition {
  ExportBilling: MethodDefinition<_coupler_telemetry_v1_ExportBillingRequest, _coupler_telemetry_v1_ExportBillingChunk, _coupler_telemetry_v1_ExportBillingRequest__Output, _coupler_telemetry_v1_ExportBillingChunk__Output>
  Query: MethodDefinition<_coupler_telemetry_v1_QueryRequest, _coupler_telemetry_v1_QueryResponse, _coupler_telemetry_v1_QueryRequest__Output, _coupler_telemetry_v1_QueryResponse__Output>
}
