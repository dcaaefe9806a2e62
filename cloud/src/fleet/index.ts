export { FleetState } from './fleet-state.js';
export type { GatewayView, LaneBacklogView } from './fleet-state.js';
