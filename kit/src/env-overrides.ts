import type { TSchema } from '@sinclair/typebox';
import type { ConfigProblem } from './config-error.js';

/** An environment variable derived from a schema path: `sync.cloudUrl` -> `COUPLER_SYNC_CLOUD_URL`. */
export interface EnvBinding {
  name: string;
  path: readonly string[];
  /** Scalars are parsed by type; arrays and objects without a fixed shape take JSON. */
  kind: 'string' | 'number' | 'integer' | 'boolean' | 'json';
  description: string;
  /** The schema of the key, for generated documentation. */
  schema: TSchema;
}

export function envName(prefix: string, path: readonly string[]): string {
  const snake = path.map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase());
  return [prefix, ...snake].join('_');
}

/** Walks the schema and lists one binding per leaf; never hand-listed (STYLE §3). */
export function envBindings(schema: TSchema, prefix: string): EnvBinding[] {
  const bindings: EnvBinding[] = [];
  const visit = (node: TSchema, path: string[]): void => {
    const properties = node['properties'] as Record<string, TSchema> | undefined;
    if (node['type'] === 'object' && properties !== undefined) {
      for (const [key, child] of Object.entries(properties)) visit(child, [...path, key]);
      return;
    }
    const members = node['anyOf'] as TSchema[] | undefined;
    // A union of string literals (an enum such as log.level) is set as a plain string.
    const isStringUnion = members !== undefined && members.every((member) => member['type'] === 'string');
    const type: unknown = isStringUnion ? 'string' : node['type'];
    const kind =
      type === 'string' || type === 'number' || type === 'integer' || type === 'boolean'
        ? type
        : 'json';
    const described: unknown = node['description'];
    const description = typeof described === 'string' ? described : '';
    bindings.push({ name: envName(prefix, path), path, kind, description, schema: node });
  };
  visit(schema, []);
  return bindings;
}

function parseEnvValue(binding: EnvBinding, raw: string): { value: unknown } | { reason: string } {
  switch (binding.kind) {
    case 'string':
      return { value: raw };
    case 'number':
    case 'integer': {
      const value = Number(raw);
      return raw.trim() === '' || Number.isNaN(value) ? { reason: 'must be a number' } : { value };
    }
    case 'boolean':
      if (raw === 'true' || raw === '1') return { value: true };
      if (raw === 'false' || raw === '0') return { value: false };
      return { reason: 'must be true, false, 1 or 0' };
    case 'json':
      try {
        return { value: JSON.parse(raw) as unknown };
      } catch {
        return { reason: 'must be JSON' };
      }
  }
}

/** Writes every set variable into `target`; returns the problems of those that do not parse. */
export function applyEnvOverrides(
  target: Record<string, unknown>,
  bindings: readonly EnvBinding[],
  env: Readonly<Record<string, string | undefined>>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const binding of bindings) {
    const raw = env[binding.name];
    if (raw === undefined) continue;
    const parsed = parseEnvValue(binding, raw);
    if ('reason' in parsed) {
      problems.push({ path: binding.name, reason: parsed.reason, value: raw });
      continue;
    }
    let node = target;
    for (const key of binding.path.slice(0, -1)) {
      const child = node[key];
      if (child === null || typeof child !== 'object' || Array.isArray(child)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[binding.path[binding.path.length - 1] ?? ''] = parsed.value;
  }
  return problems;
}
