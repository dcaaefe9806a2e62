// Original file: proto/coupler/sync/v1/sync.proto

import type { DesiredFirmware as _coupler_sync_v1_DesiredFirmware, DesiredFirmware__Output as _coupler_sync_v1_DesiredFirmware__Output } from '../../../coupler/sync/v1/DesiredFirmware.js';
import type { DesiredArtifact as _coupler_sync_v1_DesiredArtifact, DesiredArtifact__Output as _coupler_sync_v1_DesiredArtifact__Output } from '../../../coupler/sync/v1/DesiredArtifact.js';
import type { Long } from '@grpc/proto-loader';

export interface DesiredState {
  'revision'?: (number | string | Long);
  'firmware'?: (_coupler_sync_v1_DesiredFirmware)[];
  'flows'?: (_coupler_sync_v1_DesiredArtifact | null);
  'config'?: (_coupler_sync_v1_DesiredArtifact | null);
}

export interface DesiredState__Output {
  'revision': (number);
  'firmware': (_coupler_sync_v1_DesiredFirmware__Output)[];
  'flows': (_coupler_sync_v1_DesiredArtifact__Output | null);
  'config': (_coupler_sync_v1_DesiredArtifact__Output | null);
}
