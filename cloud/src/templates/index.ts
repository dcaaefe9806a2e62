// Public API of the templates capability (STYLE §2.6): named exports only.
export { createTemplates } from './templates.js';
export type { Applied, ApplyInput, TemplateInput, Templates } from './templates.js';
export type { ModbusDeviceInput } from './apply-input.js';
export type { LayerChange, TemplateDeps, TemplateStore } from './ports.js';
