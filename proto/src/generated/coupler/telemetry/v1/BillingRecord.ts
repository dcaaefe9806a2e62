// Original file: proto/coupler/telemetry/v1/telemetry.proto

import type { Quality as _coupler_sync_v1_Quality, Quality__Output as _coupler_sync_v1_Quality__Output } from '../../../coupler/sync/v1/Quality.js';
import type { Position as _coupler_telemetry_v1_Position, Position__Output as _coupler_telemetry_v1_Position__Output } from '../../../coupler/telemetry/v1/Position.js';
import type { Long } from '@grpc/proto-loader';

export interface BillingRecord {
  'gatewayId'?: (string);
  'train'?: (string);
  'meterId'?: (string);
  'sequence'?: (number | string | Long);
  'periodStartMs'?: (number | string | Long);
  'periodEndMs'?: (number | string | Long);
  'activeEnergyConsumedKwh'?: (number | string);
  'activeEnergyRegeneratedKwh'?: (number | string);
  'importCounterStartKwh'?: (number | string);
  'importCounterEndKwh'?: (number | string);
  'hasExportCounter'?: (boolean);
  'exportCounterStartKwh'?: (number | string);
  'exportCounterEndKwh'?: (number | string);
  'startReadingAtMs'?: (number | string | Long);
  'endReadingAtMs'?: (number | string | Long);
  'timeQuality'?: (number);
  'flags'?: (number);
  'quality'?: (_coupler_sync_v1_Quality);
  'position'?: (_coupler_telemetry_v1_Position | null);
}

export interface BillingRecord__Output {
  'gatewayId': (string);
  'train': (string);
  'meterId': (string);
  'sequence': (number);
  'periodStartMs': (number);
  'periodEndMs': (number);
  'activeEnergyConsumedKwh': (number);
  'activeEnergyRegeneratedKwh': (number);
  'importCounterStartKwh': (number);
  'importCounterEndKwh': (number);
  'hasExportCounter': (boolean);
  'exportCounterStartKwh': (number);
  'exportCounterEndKwh': (number);
  'startReadingAtMs': (number);
  'endReadingAtMs': (number);
  'timeQuality': (number);
  'flags': (number);
  'quality': (_coupler_sync_v1_Quality__Output);
  'position': (_coupler_telemetry_v1_Position__Output | null);
}
