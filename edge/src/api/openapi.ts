import type { TSchema } from '@sinclair/typebox';
import type { Route } from './app.js';
import { ErrorAnswer } from './schemas.js';

const COMPONENTS = '#/components/schemas/';

/** OpenAPI 3.0 has no `const`: a one-value `enum` instead. */
function withoutConst(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('const' in value)) return value;
  const { const: only, ...rest } = value;
  return { ...rest, enum: [only] };
}

/** A schema as plain JSON: TypeBox's symbols dropped, `$ref`s pointing into the components. */
function plain(schema: TSchema): unknown {
  return JSON.parse(JSON.stringify(schema), (key, value: unknown) => (key === '$ref' && typeof value === 'string' ? COMPONENTS + value : withoutConst(value))) as unknown;
}

function content(schema: TSchema): { 'application/json': { schema: unknown } } {
  return { 'application/json': { schema: plain(schema) } };
}

/**
 * The OpenAPI 3.0.3 document of the routes (as @fastify/swagger wrote it), built when someone
 * asks for it rather than held.
 */
export function openApiDocument(routes: readonly Route[], version: string): unknown {
  const { $id: name = 'ErrorAnswer', ...errorAnswer } = plain(ErrorAnswer) as { $id?: string; description?: string };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses = Object.fromEntries(
      Object.entries(route.responses).map(([status, schema]) => {
        // As @fastify/swagger: the schema's own description, the referenced one's for a $ref.
        const description = typeof schema.$ref === 'string' ? errorAnswer.description : (schema.description ?? 'Default Response');
        return [status, { description, content: content(schema) }];
      }),
    );
    const operation = { summary: route.summary, ...(route.body ? { requestBody: { required: true, content: content(route.body) } } : {}), responses };
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Coupler edge local API', version },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from api.keys.' } },
      schemas: { [name]: { ...errorAnswer, title: name } },
    },
    paths,
    security: [{ apiKey: [] }],
  };
}
