// Original file: proto/coupler/fleet/v1/fleet.proto

import type { Long } from '@grpc/proto-loader';

export interface Template {
  'name'?: (string);
  'version'?: (string);
  'documentation'?: (string);
  'deviceProfile'?: (string);
  'firmwareSha256'?: (string);
  'flowsSha256'?: (string);
  'createdMs'?: (number | string | Long);
  'createdBy'?: (string);
}

export interface Template__Output {
  'name': (string);
  'version': (string);
  'documentation': (string);
  'deviceProfile': (string);
  'firmwareSha256': (string);
  'flowsSha256': (string);
  'createdMs': (number);
  'createdBy': (string);
}
