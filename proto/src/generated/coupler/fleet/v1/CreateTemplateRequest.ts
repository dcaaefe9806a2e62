// Original file: proto/coupler/fleet/v1/fleet.proto

import type { Template as _coupler_fleet_v1_Template, Template__Output as _coupler_fleet_v1_Template__Output } from '../../../coupler/fleet/v1/Template.js';

export interface CreateTemplateRequest {
  'template'?: (_coupler_fleet_v1_Template | null);
}

export interface CreateTemplateRequest__Output {
  'template': (_coupler_fleet_v1_Template__Output | null);
}
