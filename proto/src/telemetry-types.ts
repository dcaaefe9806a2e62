// The coupler.telemetry.v1 types, gathered so index.ts stays one line per group.
export type { ProtoGrpcType as TelemetryProtoGrpcType } from './generated/telemetry.js';
export type { TelemetryServiceClient } from './generated/coupler/telemetry/v1/TelemetryService.js';
export type { QueryRequest, QueryRequest__Output } from './generated/coupler/telemetry/v1/QueryRequest.js';
export type { QueryResponse, QueryResponse__Output } from './generated/coupler/telemetry/v1/QueryResponse.js';
export type { Series as TelemetrySeries, Series__Output as TelemetrySeries__Output } from './generated/coupler/telemetry/v1/Series.js';
export type { Point as TelemetryPoint, Point__Output as TelemetryPoint__Output } from './generated/coupler/telemetry/v1/Point.js';
export type { Bucket as TelemetryBucket, Bucket__Output as TelemetryBucket__Output } from './generated/coupler/telemetry/v1/Bucket.js';
export type { ExportBillingRequest, ExportBillingRequest__Output } from './generated/coupler/telemetry/v1/ExportBillingRequest.js';
export type { ExportBillingChunk, ExportBillingChunk__Output } from './generated/coupler/telemetry/v1/ExportBillingChunk.js';
export type { ExportFormat, ExportFormat__Output } from './generated/coupler/telemetry/v1/ExportFormat.js';
export type { BillingRecord, BillingRecord__Output } from './generated/coupler/telemetry/v1/BillingRecord.js';
