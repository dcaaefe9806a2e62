// Original file: proto/coupler/fleet/v1/fleet.proto

import type { GatewayLabels as _coupler_fleet_v1_GatewayLabels, GatewayLabels__Output as _coupler_fleet_v1_GatewayLabels__Output } from '../../../coupler/fleet/v1/GatewayLabels.js';
import type { Device as _coupler_fleet_v1_Device, Device__Output as _coupler_fleet_v1_Device__Output } from '../../../coupler/fleet/v1/Device.js';
import type { Long } from '@grpc/proto-loader';

export interface Gateway {
  'gatewayId'?: (string);
  'isConnected'?: (boolean);
  'lastSeenMs'?: (number | string | Long);
  'softwareVersion'?: (string);
  'storedRecords'?: (number | string | Long);
  'backlogRecords'?: (number | string | Long);
  'oldestBacklogAgeSeconds'?: (number | string);
  'isEnrolled'?: (boolean);
  'labels'?: (_coupler_fleet_v1_GatewayLabels | null);
  'devices'?: (_coupler_fleet_v1_Device)[];
  'backlogBytes'?: (number | string | Long);
  'quotaBytes'?: (number | string | Long);
}

export interface Gateway__Output {
  'gatewayId': (string);
  'isConnected': (boolean);
  'lastSeenMs': (number);
  'softwareVersion': (string);
  'storedRecords': (number);
  'backlogRecords': (number);
  'oldestBacklogAgeSeconds': (number);
  'isEnrolled': (boolean);
  'labels': (_coupler_fleet_v1_GatewayLabels__Output | null);
  'devices': (_coupler_fleet_v1_Device__Output)[];
  'backlogBytes': (number);
  'quotaBytes': (number);
}
