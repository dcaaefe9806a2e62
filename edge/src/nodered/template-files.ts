import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CouplerError, type ConfigProblem } from '@coupler/kit';
import { EdgeErrorCode } from '../errors.js';
import { formatProblems, renderInstance, type FlowInstance, type FlowNode, type FlowTemplate, type ParameterSpec } from './template.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const PARAMETER_NAME = /^[A-Z][A-Z0-9_]*$/;
const PARAMETER_TYPES = new Set(['string', 'number', 'boolean']);

function templateError(what: string, problems: readonly ConfigProblem[]): CouplerError {
  return new CouplerError(EdgeErrorCode.flowsTemplateInvalid, `invalid flows template ${what}:\n${formatProblems(problems)}`, { details: { problems } });
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw templateError(file, [{ path: file, reason: `cannot be read: ${(err as Error).message}` }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw templateError(file, [{ path: file, reason: `is not valid JSON: ${(err as Error).message}` }]);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parameterProblems(file: string, value: unknown): ConfigProblem[] {
  if (!isObject(value)) return [{ path: `${file} parameters`, reason: 'must be an object of parameter specs' }];
  const problems: ConfigProblem[] = [];
  for (const [name, spec] of Object.entries(value)) {
    const at = `${file} parameters.${name}`;
    if (!PARAMETER_NAME.test(name)) problems.push({ path: at, reason: 'name must be upper snake case, like DEVICE_ID' });
    if (!isObject(spec) || typeof spec.type !== 'string' || !PARAMETER_TYPES.has(spec.type)) problems.push({ path: `${at}.type`, reason: 'must be string, number or boolean' });
    else if (typeof spec.description !== 'string' || spec.description === '') problems.push({ path: `${at}.description`, reason: 'must say what the parameter is' });
  }
  return problems;
}

function nodeProblems(file: string, value: unknown): ConfigProblem[] {
  if (!Array.isArray(value)) return [{ path: file, reason: 'must be a Node-RED flows export: a JSON array of nodes' }];
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  value.forEach((node: unknown, index) => {
    if (!isObject(node) || typeof node.id !== 'string' || node.id === '' || typeof node.type !== 'string' || node.type === '') {
      problems.push({ path: `${file} [${index}]`, reason: 'must be an object with a non-empty string id and type' });
      return;
    }
    if (seen.has(node.id)) problems.push({ path: `${file} [${index}].id`, reason: 'is used by an earlier node', value: node.id });
    seen.add(node.id);
  });
  return problems;
}

/** Reads `<dir>/template.json` (name, description, parameters) and `<dir>/flow.json` (a Node-RED export). */
export async function loadTemplate(dir: string): Promise<FlowTemplate> {
  const manifestFile = join(dir, 'template.json');
  const flowFile = join(dir, 'flow.json');
  const manifest = await readJson(manifestFile);
  const nodes = await readJson(flowFile);
  const problems: ConfigProblem[] = [];
  if (!isObject(manifest)) {
    problems.push({ path: manifestFile, reason: 'must be an object with name, description and parameters' });
  } else {
    if (typeof manifest.name !== 'string' || !NAME.test(manifest.name)) problems.push({ path: `${manifestFile} name`, reason: `must match ${NAME.source}`, value: manifest.name });
    problems.push(...parameterProblems(manifestFile, manifest.parameters));
  }
  problems.push(...nodeProblems(flowFile, nodes));
  if (problems.length > 0 || !isObject(manifest)) throw templateError(dir, problems);
  return {
    name: manifest.name as string,
    source: flowFile,
    parameters: manifest.parameters as Record<string, ParameterSpec>,
    nodes: nodes as FlowNode[],
  };
}

/** A template named in configuration: a bare name is a folder of `templatesDir`, else a path. */
export function templateDir(templatesDir: string, template: string): string {
  return NAME.test(template) ? join(templatesDir, template) : resolve(template);
}

/**
 * Renders every configured instance into one flows array, or throws CPL_ERR_FLOWS_TEMPLATE_INVALID
 * listing every problem (unknown or missing parameter, wrong type, bad JSON), each with its place.
 */
export async function renderFlows(instances: readonly FlowInstance[], templatesDir: string): Promise<FlowNode[]> {
  const problems: ConfigProblem[] = [];
  const nodes: FlowNode[] = [];
  const names = new Set<string>();
  for (const [index, instance] of instances.entries()) {
    const at = `nodeRed.flows[${index}]`;
    if (names.has(instance.name)) problems.push({ path: `${at}.name`, reason: 'is already used by another flow', value: instance.name });
    names.add(instance.name);
    const template = await loadTemplate(templateDir(templatesDir, instance.template));
    const rendered = renderInstance(template, instance, at);
    problems.push(...rendered.problems);
    nodes.push(...rendered.nodes);
  }
  if (problems.length > 0) throw templateError('instances', problems);
  return nodes;
}
