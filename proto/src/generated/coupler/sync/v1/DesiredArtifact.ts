// Original file: proto/coupler/sync/v1/sync.proto

import type { Artifact as _coupler_ota_v1_Artifact, Artifact__Output as _coupler_ota_v1_Artifact__Output } from '../../../coupler/ota/v1/Artifact.js';

export interface DesiredArtifact {
  'artifact'?: (_coupler_ota_v1_Artifact | null);
  'rolloutId'?: (string);
}

export interface DesiredArtifact__Output {
  'artifact': (_coupler_ota_v1_Artifact__Output | null);
  'rolloutId': (string);
}
