// Original file: proto/coupler/fleet/v1/fleet.proto

import type { DesiredStateLayer as _coupler_fleet_v1_DesiredStateLayer, DesiredStateLayer__Output as _coupler_fleet_v1_DesiredStateLayer__Output } from '../../../coupler/fleet/v1/DesiredStateLayer.js';

export interface ApplyTemplateResponse {
  'layer'?: (_coupler_fleet_v1_DesiredStateLayer | null);
  'template'?: (string);
}

export interface ApplyTemplateResponse__Output {
  'layer': (_coupler_fleet_v1_DesiredStateLayer__Output | null);
  'template': (string);
}
