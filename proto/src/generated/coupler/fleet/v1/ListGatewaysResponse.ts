// Original file: proto/coupler/fleet/v1/fleet.proto

import type { Gateway as _coupler_fleet_v1_Gateway, Gateway__Output as _coupler_fleet_v1_Gateway__Output } from '../../../coupler/fleet/v1/Gateway.js';

export interface ListGatewaysResponse {
  'gateways'?: (_coupler_fleet_v1_Gateway)[];
}

export interface ListGatewaysResponse__Output {
  'gateways': (_coupler_fleet_v1_Gateway__Output)[];
}
