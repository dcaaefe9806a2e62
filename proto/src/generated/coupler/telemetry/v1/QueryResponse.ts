// Original file: proto/coupler/telemetry/v1/telemetry.proto

import type { Series as _coupler_telemetry_v1_Series, Series__Output as _coupler_telemetry_v1_Series__Output } from '../../../coupler/telemetry/v1/Series.js';

export interface QueryResponse {
  'series'?: (_coupler_telemetry_v1_Series)[];
  'nextPageToken'?: (string);
}

export interface QueryResponse__Output {
  'series': (_coupler_telemetry_v1_Series__Output)[];
  'nextPageToken': (string);
}
