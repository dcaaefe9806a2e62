import { createHash } from 'node:crypto';
import { formatProblem, type ConfigProblem } from '@coupler/kit';

/** One node of a Node-RED flows export: a flat JSON object with at least `id` and `type`. */
export type FlowNode = Record<string, unknown> & { id: string; type: string };
export type ParameterValue = string | number | boolean;

export interface ParameterSpec {
  type: 'string' | 'number' | 'boolean';
  description: string;
  /** For strings: a regular expression the whole value must match. */
  pattern?: string;
  default?: ParameterValue;
}

/** A template as read from `flows/templates/<name>/`: its manifest plus its flows export. */
export interface FlowTemplate {
  name: string;
  /** Where it came from, for error messages. */
  source: string;
  parameters: Readonly<Record<string, ParameterSpec>>;
  nodes: readonly FlowNode[];
}

/** One use of a template on this gateway: its name makes the node ids unique. */
export interface FlowInstance {
  name: string;
  template: string;
  parameters: Readonly<Record<string, ParameterValue>>;
}

/**
 * Variables the edge gives the Node-RED process (docs/decisions/0070). A template may name them
 * as `${COUPLER_...}`; they are left for Node-RED to fill in at run time, so the broker password
 * never appears in a rendered file.
 */
export const RUNTIME_VARIABLES = ['COUPLER_BUS_HOST', 'COUPLER_BUS_PORT', 'COUPLER_BUS_USERNAME', 'COUPLER_BUS_PASSWORD', 'COUPLER_GATEWAY_ID'] as const;

/** `${NAME}` with NAME in upper snake case is a parameter; other `${...}` (JS template literals) are left alone. */
const PLACEHOLDER = /\$\{([A-Z][A-Z0-9_]*)\}/g;
const WHOLE_PLACEHOLDER = /^\$\{([A-Z][A-Z0-9_]*)\}$/;

/** Node ids a rendered instance uses: stable across renders, distinct between instances. */
export function instanceNodeId(instanceName: string, templateId: string): string {
  return createHash('sha256').update(`${instanceName}/${templateId}`).digest('hex').slice(0, 16);
}

function checkValue(name: string, spec: ParameterSpec, value: ParameterValue, path: string): ConfigProblem | undefined {
  if (typeof value !== spec.type || (typeof value === 'number' && !Number.isFinite(value))) {
    return { path, reason: `must be a ${spec.type}`, value };
  }
  if (spec.type === 'string' && spec.pattern !== undefined && !new RegExp(`^(?:${spec.pattern})$`).test(String(value))) {
    return { path, reason: `must match ${spec.pattern} (parameter ${name})`, value };
  }
  return undefined;
}

/** The parameter values of one instance, with defaults, or the problems with them. */
function resolveParameters(template: FlowTemplate, instance: FlowInstance, at: string): { values: Map<string, ParameterValue>; problems: ConfigProblem[] } {
  const values = new Map<string, ParameterValue>();
  const problems: ConfigProblem[] = [];
  const declared = Object.keys(template.parameters).sort();
  for (const [name, value] of Object.entries(instance.parameters)) {
    const spec = template.parameters[name];
    if (!spec) {
      problems.push({ path: `${at}.parameters.${name}`, reason: `unknown parameter of template ${template.name} (it has ${declared.join(', ') || 'none'})` });
      continue;
    }
    const problem = checkValue(name, spec, value, `${at}.parameters.${name}`);
    if (problem) problems.push(problem);
    else values.set(name, value);
  }
  for (const name of declared) {
    const spec = template.parameters[name];
    if (values.has(name) || name in instance.parameters || !spec) continue;
    if (spec.default === undefined) problems.push({ path: `${at}.parameters.${name}`, reason: `is required by template ${template.name}: ${spec.description}` });
    else values.set(name, spec.default);
  }
  return { values, problems };
}

type Substituter = (text: string, where: string) => unknown;

function substituteDeep(value: unknown, where: string, substitute: Substituter): unknown {
  if (typeof value === 'string') return substitute(value, where);
  if (Array.isArray(value)) return value.map((item, index) => substituteDeep(item, `${where}[${index}]`, substitute));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteDeep(item, `${where}.${key}`, substitute)]));
  }
  return value;
}

/**
 * Renders one instance of a template: parameters substituted (a string that is exactly
 * `${NAME}` takes the parameter's type, a longer string gets its text), node ids made unique to
 * the instance and every reference to them (wires, z, g, config nodes, links) rewritten.
 * Returns the nodes, or every problem found, each naming where it is.
 */
export function renderInstance(template: FlowTemplate, instance: FlowInstance, at: string): { nodes: FlowNode[]; problems: ConfigProblem[] } {
  const { values, problems } = resolveParameters(template, instance, at);
  const runtime = new Set<string>(RUNTIME_VARIABLES);
  const ids = new Map(template.nodes.map((node) => [node.id, instanceNodeId(instance.name, node.id)]));
  const substitute: Substituter = (text, where) => {
    const mappedId = ids.get(text);
    if (mappedId !== undefined) return mappedId;
    const whole = WHOLE_PLACEHOLDER.exec(text);
    if (whole?.[1] !== undefined && values.has(whole[1])) return values.get(whole[1]);
    return text.replace(PLACEHOLDER, (match, name: string) => {
      const value = values.get(name);
      if (value !== undefined) return String(value);
      if (!runtime.has(name) && !(name in template.parameters)) {
        problems.push({ path: `${template.source} ${where}`, reason: `unknown parameter ${name} (template ${template.name} declares ${Object.keys(template.parameters).sort().join(', ') || 'none'}; the edge provides ${RUNTIME_VARIABLES.join(', ')})` });
      }
      return match;
    });
  };
  const nodes = template.nodes.map((node, index) => substituteDeep(node, `[${index}] (node ${node.id}, ${node.type})`, substitute) as FlowNode);
  return { nodes, problems };
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((problem) => `  ${formatProblem(problem)}`).join('\n');
}
