// Original file: proto/coupler/fleet/v1/fleet.proto

import type { Long } from '@grpc/proto-loader';

export interface DesiredStateLayer {
  'scope'?: (string);
  'firmwareSha256'?: ({[key: string]: string});
  'flowsSha256'?: (string);
  'revision'?: (number | string | Long);
  'updatedMs'?: (number | string | Long);
  'configSha256'?: (string);
  'templates'?: (string)[];
}

export interface DesiredStateLayer__Output {
  'scope': (string);
  'firmwareSha256': ({[key: string]: string});
  'flowsSha256': (string);
  'revision': (number);
  'updatedMs': (number);
  'configSha256': (string);
  'templates': (string)[];
}
