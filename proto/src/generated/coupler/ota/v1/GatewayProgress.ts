// Original file: proto/coupler/ota/v1/ota.proto

import type { GatewayOutcome as _coupler_ota_v1_GatewayOutcome, GatewayOutcome__Output as _coupler_ota_v1_GatewayOutcome__Output } from '../../../coupler/ota/v1/GatewayOutcome.js';

export interface GatewayProgress {
  'gatewayId'?: (string);
  'outcome'?: (_coupler_ota_v1_GatewayOutcome);
  'reason'?: (string);
}

export interface GatewayProgress__Output {
  'gatewayId': (string);
  'outcome': (_coupler_ota_v1_GatewayOutcome__Output);
  'reason': (string);
}
