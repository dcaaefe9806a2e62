// Original file: proto/coupler/identity/v1/identity.proto

import type { Role as _coupler_identity_v1_Role, Role__Output as _coupler_identity_v1_Role__Output } from '../../../coupler/identity/v1/Role.js';

export interface CreateApiKeyRequest {
  'name'?: (string);
  'role'?: (_coupler_identity_v1_Role);
}

export interface CreateApiKeyRequest__Output {
  'name': (string);
  'role': (_coupler_identity_v1_Role__Output);
}
