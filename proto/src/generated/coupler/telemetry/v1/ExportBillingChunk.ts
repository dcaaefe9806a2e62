// Original file: proto/coupler/telemetry/v1/telemetry.proto

import type { BillingRecords as _coupler_telemetry_v1_BillingRecords, BillingRecords__Output as _coupler_telemetry_v1_BillingRecords__Output } from '../../../coupler/telemetry/v1/BillingRecords.js';

export interface ExportBillingChunk {
  'csv'?: (Buffer | Uint8Array | string);
  'records'?: (_coupler_telemetry_v1_BillingRecords | null);
  'chunk'?: "csv"|"records";
}

export interface ExportBillingChunk__Output {
  'csv'?: (Buffer);
  'records'?: (_coupler_telemetry_v1_BillingRecords__Output | null);
  'chunk'?: "csv"|"records";
}
