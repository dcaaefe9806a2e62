export { createNodeRed } from './node-red.js';
export type { NodeRed, NodeRedOptions, NodeRedReport, NodeRedSecrets } from './node-red.js';
export type { NodeRedStatus } from './supervisor.js';
export type { EditorUser } from './settings.js';
export type { FlowInstance, ParameterValue } from './template.js';
export { RUNTIME_VARIABLES } from './template.js';
export type { DeployOutcome, Deployment } from './deploy.js';
