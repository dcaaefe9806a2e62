// Original file: proto/coupler/ota/v1/ota.proto

import type { RolloutStatus as _coupler_ota_v1_RolloutStatus, RolloutStatus__Output as _coupler_ota_v1_RolloutStatus__Output } from '../../../coupler/ota/v1/RolloutStatus.js';
import type { Wave as _coupler_ota_v1_Wave, Wave__Output as _coupler_ota_v1_Wave__Output } from '../../../coupler/ota/v1/Wave.js';

export interface Rollout {
  'rolloutId'?: (string);
  'status'?: (_coupler_ota_v1_RolloutStatus);
  'targetVersion'?: (string);
  'previousVersion'?: (string);
  'currentWave'?: (number);
  'waves'?: (_coupler_ota_v1_Wave)[];
  'pausedReason'?: (string);
  'history'?: (string)[];
}

export interface Rollout__Output {
  'rolloutId': (string);
  'status': (_coupler_ota_v1_RolloutStatus__Output);
  'targetVersion': (string);
  'previousVersion': (string);
  'currentWave': (number);
  'waves': (_coupler_ota_v1_Wave__Output)[];
  'pausedReason': (string);
  'history': (string)[];
}
