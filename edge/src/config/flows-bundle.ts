import { Type, type Static } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import { createSchemaValidator, formatProblem, problemsFromAjv } from '@coupler/kit';
import { FlowInstance } from './nodered-schema.js';

/**
 * A flows bundle (artifact kind flows-bundle): the flow instances to run, in the shape of
 * nodeRed.flows, except that a template is named, never given as a path: the cloud chooses
 * among the templates the gateway has, not among its files (docs/architecture.md, flows bundles).
 */
export const FlowsBundleSchema = Type.Object(
  {
    flows: Type.Array(
      Type.Object(
        {
          ...FlowInstance.properties,
          template: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$', description: 'Template folder name under nodeRed.templatesDir.' }),
        },
        { additionalProperties: false },
      ),
      { description: 'The flow instances to deploy; they replace the flows of nodeRed.flows.' },
    ),
  },
  { additionalProperties: false },
);

export type FlowsBundle = Static<typeof FlowsBundleSchema>;

// Compiled on the first bundle, not at start-up: most gateways never get one, and the compile
// (its own ajv and meta-schema) was about 8% of the edge's CPU before its first batch (decision 0017).
let validator: ValidateFunction<FlowsBundle> | undefined;

/** The instances of a bundle; throws naming every problem (`flows[0].template: ...`). */
export function parseFlowsBundle(content: Uint8Array): FlowsBundle['flows'] {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(content).toString('utf8'));
  } catch (err) {
    throw new Error(`the flows bundle is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const validate = (validator ??= createSchemaValidator().compile<FlowsBundle>(FlowsBundleSchema));
  if (!validate(json)) {
    const problems = problemsFromAjv(validate.errors ?? [], json).map(formatProblem);
    throw new Error(`the flows bundle is invalid: ${problems.join('; ')}`);
  }
  const names = json.flows.map((flow) => flow.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated !== undefined) throw new Error(`the flows bundle is invalid: flows: the name ${repeated} is used twice (names make node ids unique)`);
  return json.flows;
}
