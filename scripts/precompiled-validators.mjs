// The schema validators the gateway needs at every start, compiled at build time for the image's
// bundle (scripts/bundle-edge.mjs, docs/decisions/0023). Each entry names a module of the built
// edge that compiles a schema with ajv at run time; the bundle holds, in its place, ajv's
// standalone code for the same schema, exporting the same function. Needs a build (`tsc -b`).
import { standaloneValidatorModule } from '@coupler/kit/standalone-validator';

const root = new URL('..', import.meta.url).pathname;

export const PRECOMPILED_VALIDATORS = [
  {
    module: 'edge/dist/src/config/validate-config.js',
    schemaModule: 'edge/dist/src/config/schema.js',
    schema: 'EdgeConfigSchema',
    exportName: 'edgeConfigValidator',
  },
  {
    module: 'edge/dist/src/bus/validate-payload.js',
    schemaModule: 'edge/dist/src/bus/topics.js',
    schema: 'ReadingPayloadSchema',
    exportName: 'readingPayloadValidator',
  },
];

/** Absolute path of each replaced module -> the source that replaces it. */
export async function precompiledValidatorSources() {
  const sources = new Map();
  for (const entry of PRECOMPILED_VALIDATORS) {
    const schemas = await import(`${root}${entry.schemaModule}`);
    const schema = schemas[entry.schema];
    if (schema === undefined) throw new Error(`${entry.schemaModule} exports no ${entry.schema}`);
    sources.set(`${root}${entry.module}`, standaloneValidatorModule(schema, entry.exportName));
  }
  return sources;
}
