// Original file: proto/coupler/fleet/v1/fleet.proto

import type { Template as _coupler_fleet_v1_Template, Template__Output as _coupler_fleet_v1_Template__Output } from '../../../coupler/fleet/v1/Template.js';

export interface ListTemplatesResponse {
  'templates'?: (_coupler_fleet_v1_Template)[];
}

export interface ListTemplatesResponse__Output {
  'templates': (_coupler_fleet_v1_Template__Output)[];
}
