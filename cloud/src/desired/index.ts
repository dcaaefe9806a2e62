// Public API of the desired-state capability (STYLE §2.6): named exports only.
export { DesiredStates, itemsOf } from './desired-states.js';
export type { LayerInput, LayerItems, ReportInput } from './desired-states.js';
export { composeLayers } from './compose.js';
export { checkScope, EVERY_DEVICE, scopesOf } from './scopes.js';
export type { ComposedArtifact, ComposedState, DesiredLayerStore, DesiredStateDeps, SignedArtifactView } from './ports.js';
