export { FleetState } from './fleet-state.js';
export type { GatewayView, LaneBacklogView } from './fleet-state.js';
export { listFleetGateways } from './fleet-view.js';
export type { FleetGatewayView, FleetViewSources } from './fleet-view.js';
