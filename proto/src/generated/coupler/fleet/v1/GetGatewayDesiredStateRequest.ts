// Original file: proto/coupler/fleet/v1/fleet.proto


export interface GetGatewayDesiredStateRequest {
  'gatewayId'?: (string);
}

export interface GetGatewayDesiredStateRequest__Output {
  'gatewayId': (string);
}
