// Original file: proto/coupler/telemetry/v1/telemetry.proto

import type { Point as _coupler_telemetry_v1_Point, Point__Output as _coupler_telemetry_v1_Point__Output } from '../../../coupler/telemetry/v1/Point.js';
import type { Bucket as _coupler_telemetry_v1_Bucket, Bucket__Output as _coupler_telemetry_v1_Bucket__Output } from '../../../coupler/telemetry/v1/Bucket.js';

export interface Series {
  'deviceId'?: (string);
  'signal'?: (string);
  'unit'?: (string);
  'points'?: (_coupler_telemetry_v1_Point)[];
  'buckets'?: (_coupler_telemetry_v1_Bucket)[];
}

export interface Series__Output {
  'deviceId': (string);
  'signal': (string);
  'unit': (string);
  'points': (_coupler_telemetry_v1_Point__Output)[];
  'buckets': (_coupler_telemetry_v1_Bucket__Output)[];
}
