// Original file: proto/coupler/fleet/v1/fleet.proto

import type { GatewayLabels as _coupler_fleet_v1_GatewayLabels, GatewayLabels__Output as _coupler_fleet_v1_GatewayLabels__Output } from '../../../coupler/fleet/v1/GatewayLabels.js';

export interface SetGatewayLabelsRequest {
  'gatewayId'?: (string);
  'labels'?: (_coupler_fleet_v1_GatewayLabels | null);
}

export interface SetGatewayLabelsRequest__Output {
  'gatewayId': (string);
  'labels': (_coupler_fleet_v1_GatewayLabels__Output | null);
}
