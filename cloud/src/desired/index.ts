// Public API of the desired-state capability (STYLE §2.6): named exports only.
export { DesiredStates } from './desired-states.js';
export type { AppliedItemView, AppliedReportView, LayerInput } from './desired-states.js';
export { composeLayers } from './compose.js';
export { EVERY_DEVICE, scopesOf } from './scopes.js';
export type { ComposedArtifact, ComposedState, DesiredLayerStore, DesiredStateDeps, SignedArtifactView } from './ports.js';
