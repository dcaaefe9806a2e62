// Original file: proto/coupler/ota/v1/ota.proto

import type { Selector as _coupler_ota_v1_Selector, Selector__Output as _coupler_ota_v1_Selector__Output } from '../../../coupler/ota/v1/Selector.js';

export interface CreateRolloutRequest {
  'rolloutId'?: (string);
  'artifactSha256'?: (string);
  'previousSha256'?: (string);
  'selector'?: (_coupler_ota_v1_Selector | null);
  'waveFractions'?: (number | string)[];
  'failureThreshold'?: (number | string);
  'waveTimeoutSeconds'?: (number);
}

export interface CreateRolloutRequest__Output {
  'rolloutId': (string);
  'artifactSha256': (string);
  'previousSha256': (string);
  'selector': (_coupler_ota_v1_Selector__Output | null);
  'waveFractions': (number)[];
  'failureThreshold': (number);
  'waveTimeoutSeconds': (number);
}
