import { OptionalKind, type TSchema } from '@sinclair/typebox';
import { envBindings } from './env-overrides.js';

function typeOf(schema: TSchema): string {
  const members = schema['anyOf'] as TSchema[] | undefined;
  if (members?.every((m) => 'const' in m)) return members.map((m) => JSON.stringify(m['const'])).join(' \\| ');
  if (schema['type'] === 'array') return 'list (JSON in the environment)';
  if ('const' in schema) return JSON.stringify(schema['const']);
  return String(schema['type'] ?? 'any');
}

function limits(schema: TSchema): string {
  const parts: string[] = [];
  if (typeof schema['minimum'] === 'number') parts.push(`≥ ${schema['minimum']}`);
  if (typeof schema['maximum'] === 'number') parts.push(`≤ ${schema['maximum']}`);
  if (typeof schema['pattern'] === 'string') parts.push(`pattern \`${schema['pattern']}\``);
  return parts.join(', ');
}

/** A Markdown table of every key of a configuration schema, with its environment variable. */
export function renderConfigReference(schema: TSchema, prefix = 'COUPLER'): string {
  const rows = envBindings(schema, prefix).map((binding) => {
    const node = binding.schema;
    const fallback = 'default' in node ? `\`${JSON.stringify(node['default'])}\`` : OptionalKind in node ? 'optional' : 'required';
    const restart = node['requiresRestart'] === true ? 'yes' : '';
    const notes = [binding.description, limits(node)].filter(Boolean).join(' ');
    return `| \`${binding.path.join('.')}\` | \`${binding.name}\` | ${typeOf(node)} | ${fallback} | ${restart} | ${notes} |`;
  });
  return ['| key | environment | type | default | restart | meaning |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}
