// Original file: proto/coupler/telemetry/v1/telemetry.proto

import type { ExportFormat as _coupler_telemetry_v1_ExportFormat, ExportFormat__Output as _coupler_telemetry_v1_ExportFormat__Output } from '../../../coupler/telemetry/v1/ExportFormat.js';
import type { Long } from '@grpc/proto-loader';

export interface ExportBillingRequest {
  'train'?: (string);
  'gatewayIds'?: (string)[];
  'fromMs'?: (number | string | Long);
  'toMs'?: (number | string | Long);
  'format'?: (_coupler_telemetry_v1_ExportFormat);
}

export interface ExportBillingRequest__Output {
  'train': (string);
  'gatewayIds': (string)[];
  'fromMs': (number);
  'toMs': (number);
  'format': (_coupler_telemetry_v1_ExportFormat__Output);
}
