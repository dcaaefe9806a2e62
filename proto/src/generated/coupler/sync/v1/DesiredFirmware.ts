// Original file: proto/coupler/sync/v1/sync.proto

import type { DesiredArtifact as _coupler_sync_v1_DesiredArtifact, DesiredArtifact__Output as _coupler_sync_v1_DesiredArtifact__Output } from '../../../coupler/sync/v1/DesiredArtifact.js';

export interface DesiredFirmware {
  'deviceId'?: (string);
  'artifact'?: (_coupler_sync_v1_DesiredArtifact | null);
}

export interface DesiredFirmware__Output {
  'deviceId': (string);
  'artifact': (_coupler_sync_v1_DesiredArtifact__Output | null);
}
