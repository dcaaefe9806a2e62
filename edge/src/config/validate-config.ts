import { createSchemaValidator } from '@coupler/kit';
import type { ValidateFunction } from 'ajv';
import { EdgeConfigSchema, type EdgeConfig } from './schema.js';

/**
 * EdgeConfigSchema compiled by ajv, anew on each call (a configuration is checked at start and
 * on each reload, and the validator is not kept). The image's bundle holds this module compiled
 * at build time instead (scripts/bundle-edge.mjs, docs/decisions/0023): compiling the schema was
 * a third of the gateway's start-up CPU.
 */
export function edgeConfigValidator(): ValidateFunction<EdgeConfig> {
  return createSchemaValidator().compile<EdgeConfig>(EdgeConfigSchema);
}
