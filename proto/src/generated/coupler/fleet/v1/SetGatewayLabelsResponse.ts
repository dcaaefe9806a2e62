// Original file: proto/coupler/fleet/v1/fleet.proto

import type { GatewayLabels as _coupler_fleet_v1_GatewayLabels, GatewayLabels__Output as _coupler_fleet_v1_GatewayLabels__Output } from '../../../coupler/fleet/v1/GatewayLabels.js';

export interface SetGatewayLabelsResponse {
  'labels'?: (_coupler_fleet_v1_GatewayLabels | null);
}

export interface SetGatewayLabelsResponse__Output {
  'labels': (_coupler_fleet_v1_GatewayLabels__Output | null);
}
