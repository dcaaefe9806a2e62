// Public API of the desired-state capability (STYLE §2.6): named exports only.
export { DesiredStateApplier } from './applier.js';
export type { DesiredApplierDeps, DesiredApplierOptions } from './applier.js';
export { planItems } from './plan.js';
export type { ItemKind, PlannedItem } from './plan.js';
export type { ConfigUpdater, DesiredArtifactSpec, FinalOutcome, FirmwareUpdater, FlowsUpdater, ItemOutcome, ItemResult, ProgressListener } from './ports.js';
export { desiredFromWire } from './wire.js';
export type { DesiredEntry, DesiredSpec } from './wire.js';
