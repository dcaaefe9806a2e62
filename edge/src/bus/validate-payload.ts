import { createSchemaValidator } from '@coupler/kit';
import type { ValidateFunction } from 'ajv';
import { ReadingPayloadSchema, type ReadingPayload } from './topics.js';

let validator: ValidateFunction<ReadingPayload> | undefined;

/**
 * ReadingPayloadSchema compiled by ajv on first use. The image's bundle holds this module
 * compiled at build time instead (scripts/bundle-edge.mjs, docs/decisions/0023).
 */
export function readingPayloadValidator(): ValidateFunction<ReadingPayload> {
  return (validator ??= createSchemaValidator().compile<ReadingPayload>(ReadingPayloadSchema));
}
