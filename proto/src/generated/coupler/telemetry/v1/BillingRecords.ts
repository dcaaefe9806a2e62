// Original file: proto/coupler/telemetry/v1/telemetry.proto

import type { BillingRecord as _coupler_telemetry_v1_BillingRecord, BillingRecord__Output as _coupler_telemetry_v1_BillingRecord__Output } from '../../../coupler/telemetry/v1/BillingRecord.js';

export interface BillingRecords {
  'records'?: (_coupler_telemetry_v1_BillingRecord)[];
}

export interface BillingRecords__Output {
  'records': (_coupler_telemetry_v1_BillingRecord__Output)[];
}
