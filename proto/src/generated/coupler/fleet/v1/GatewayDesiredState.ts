// Original file: proto/coupler/fleet/v1/fleet.proto

import type { DesiredState as _coupler_sync_v1_DesiredState, DesiredState__Output as _coupler_sync_v1_DesiredState__Output } from '../../../coupler/sync/v1/DesiredState.js';
import type { DesiredStateReport as _coupler_sync_v1_DesiredStateReport, DesiredStateReport__Output as _coupler_sync_v1_DesiredStateReport__Output } from '../../../coupler/sync/v1/DesiredStateReport.js';

export interface GatewayDesiredState {
  'gatewayId'?: (string);
  'desired'?: (_coupler_sync_v1_DesiredState | null);
  'applied'?: (_coupler_sync_v1_DesiredStateReport | null);
}

export interface GatewayDesiredState__Output {
  'gatewayId': (string);
  'desired': (_coupler_sync_v1_DesiredState__Output | null);
  'applied': (_coupler_sync_v1_DesiredStateReport__Output | null);
}
