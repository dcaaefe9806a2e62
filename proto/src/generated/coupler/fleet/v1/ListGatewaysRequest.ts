// Original file: proto/coupler/fleet/v1/fleet.proto


export interface ListGatewaysRequest {
}

export interface ListGatewaysRequest__Output {
}
