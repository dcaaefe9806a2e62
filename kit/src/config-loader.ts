import { readFileSync } from 'node:fs';
import type { TSchema, Static } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { deepFreeze, type DeepReadonly } from './deep-freeze.js';
import { applyEnvOverrides, envBindings } from './env-overrides.js';

export interface LoadConfigOptions<S extends TSchema> {
  schema: S;
  /** YAML file; omitted means defaults plus environment only. */
  file?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
  envPrefix?: string;
  /** Checks one key cannot express: unique ids, references between sections. */
  crossCheck?: (config: Static<S>) => ConfigProblem[];
  /** `schema` already compiled (for example at build time); else it is compiled here. */
  validate?: ValidateFunction | undefined;
}

/**
 * Builds an ajv validator that knows our schema annotations (STYLE §4). `source: true` keeps
 * each compiled validator's code, for ajv's standalone output (./standalone-validator.ts).
 */
export function createSchemaValidator(options: { source?: boolean } = {}): Ajv {
  // verbose: errors carry their schema, so a union of literals can be reported as its choices.
  const ajv = new Ajv({
    allErrors: true,
    useDefaults: true,
    strict: true,
    allowUnionTypes: true,
    verbose: true,
    ...(options.source ? { code: { source: true, esm: true } } : {}),
  });
  ajv.addKeyword({ keyword: 'requiresRestart', schemaType: 'boolean' });
  return ajv;
}

/** `/devices/2/unitId` -> `devices[2].unitId` */
export function jsonPointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function valueAt(data: unknown, segments: readonly string[]): unknown {
  let node = data;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function pointerSegments(pointer: string): string[] {
  return pointer.split('/').slice(1).map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function lineOf(doc: Document | undefined, lines: LineCounter, segments: readonly string[]): number | undefined {
  if (!doc) return undefined;
  for (let depth = segments.length; depth > 0; depth--) {
    const keys = segments.slice(0, depth).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const node: unknown = doc.getIn(keys, true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

/** The allowed values when the failed schema is a union of literals, else undefined. */
function literalChoices(error: ErrorObject): unknown[] | undefined {
  const members: unknown = error.schema;
  if (!Array.isArray(members) || members.length === 0) return undefined;
  const choices = members.map((member: unknown) =>
    member !== null && typeof member === 'object' && 'const' in member ? (member).const : undefined,
  );
  return choices.every((c) => c !== undefined) ? choices : undefined;
}

/** Turns ajv errors into problems that name the key, the reason and the value. */
export function problemsFromAjv(
  errors: readonly ErrorObject[],
  data: unknown,
  locate: (segments: readonly string[]) => number | undefined = () => undefined,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const literalUnionPaths = new Set(
    errors.filter((e) => e.keyword === 'anyOf' && literalChoices(e) !== undefined).map((e) => e.instancePath),
  );
  for (const error of errors) {
    // The per-member `const` failures of a literal union are summed up by its anyOf error.
    if (error.keyword === 'const' && literalUnionPaths.has(error.instancePath)) continue;
    const segments = pointerSegments(error.instancePath);
    const params = error.params as Record<string, unknown>;
    let problem: ConfigProblem;
    if (error.keyword === 'additionalProperties') {
      const key = String(params['additionalProperty']);
      segments.push(key);
      problem = { path: '', reason: 'is not a known key', value: valueAt(data, segments) };
    } else if (error.keyword === 'required') {
      segments.push(String(params['missingProperty']));
      problem = { path: '', reason: 'is required' };
    } else if (error.keyword === 'anyOf' && literalChoices(error) !== undefined) {
      const allowed = (literalChoices(error) ?? []).map((v) => JSON.stringify(v)).join(', ');
      problem = { path: '', reason: `must be one of ${allowed}`, value: valueAt(data, segments) };
    } else if (error.keyword === 'enum') {
      const allowed = (params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      problem = { path: '', reason: `must be one of ${allowed}`, value: valueAt(data, segments) };
    } else {
      problem = { path: '', reason: error.message ?? error.keyword, value: valueAt(data, segments) };
    }
    problem.path = jsonPointerToPath(segments.map((s) => `/${s}`).join(''));
    const line = locate(segments);
    if (line !== undefined) problem.line = line;
    problems.push(problem);
  }
  // allErrors reports each branch of a union separately; one line per key and reason is enough.
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}|${p.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Defaults, then the YAML file, then `<PREFIX>_*` environment variables; validated with every
 * problem listed, cross-checked, then deep-frozen. Throws ConfigError and never half-applies.
 */
export function loadConfig<S extends TSchema>(options: LoadConfigOptions<S>): DeepReadonly<Static<S>> {
  const { schema, file, env = {}, envPrefix = 'COUPLER', crossCheck, validate } = options;
  const source = file ?? 'environment';
  const lines = new LineCounter();
  let doc: Document | undefined;
  let data: Record<string, unknown> = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(source, [{ path: '', reason: `cannot read the file: ${(err as Error).message}` }], { cause: err });
    }
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    if (doc.errors.length > 0) {
      throw new ConfigError(
        source,
        doc.errors.map((e) => ({ path: '', reason: `YAML syntax: ${e.message.split('\n')[0] ?? ''}`, line: lines.linePos(e.pos[0]).line })),
      );
    }
    const parsed: unknown = doc.toJS();
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new ConfigError(source, [{ path: '', reason: 'must be a mapping of keys to values', value: parsed }]);
      }
      data = parsed as Record<string, unknown>;
    }
  }
  const envProblems = applyEnvOverrides(data, envBindings(schema, envPrefix), env);
  if (envProblems.length > 0) throw new ConfigError('environment', envProblems);

  return checkConfig({ schema, data, source, crossCheck, validate, locate: (segments) => lineOf(doc, lines, segments) });
}

/**
 * Validates a configuration object (defaults filled in place), cross-checks it and deep-freezes
 * it; throws ConfigError naming every problem. loadConfig's last step, and the way to check a
 * configuration put together from several documents (the file and the cloud's desired sections).
 */
export function checkConfig<S extends TSchema>(options: {
  schema: S;
  data: unknown;
  source: string;
  crossCheck?: ((config: Static<S>) => ConfigProblem[]) | undefined;
  /** `schema` already compiled (for example at build time); else it is compiled here. */
  validate?: ValidateFunction | undefined;
  /** The line of a key, when the data came from a YAML file. */
  locate?: (segments: readonly string[]) => number | undefined;
}): DeepReadonly<Static<S>> {
  const { schema, data, source, crossCheck, locate = () => undefined } = options;
  const validate = options.validate ?? createSchemaValidator().compile(schema);
  if (!validate(data)) {
    throw new ConfigError(source, problemsFromAjv(validate.errors ?? [], data, locate));
  }
  const config = data as Static<S>;
  const crossProblems = crossCheck?.(config) ?? [];
  if (crossProblems.length > 0) {
    throw new ConfigError(source, crossProblems.map((p) => {
      const line = locate(p.path.replace(/\[(\d+)\]/g, '.$1').split('.'));
      return line === undefined ? p : { ...p, line };
    }));
  }
  return deepFreeze(config);
}
