// Original file: proto/coupler/ota/v1/ota.proto

import type { GatewayProgress as _coupler_ota_v1_GatewayProgress, GatewayProgress__Output as _coupler_ota_v1_GatewayProgress__Output } from '../../../coupler/ota/v1/GatewayProgress.js';
import type { Long } from '@grpc/proto-loader';

export interface Wave {
  'gateways'?: (_coupler_ota_v1_GatewayProgress)[];
  'startedMs'?: (number | string | Long);
}

export interface Wave__Output {
  'gateways': (_coupler_ota_v1_GatewayProgress__Output)[];
  'startedMs': (number);
}
