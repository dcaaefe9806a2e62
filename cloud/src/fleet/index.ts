export { FleetState } from './fleet-state.js';
export type { DeviceView, GatewayView, LaneBacklogView } from './fleet-state.js';
export { matchesFilter, validateLabels } from './labels.js';
export type { LabelFilter } from './labels.js';
export { listFleetGateways } from './fleet-view.js';
export type { FleetGatewayView, FleetViewSources } from './fleet-view.js';
