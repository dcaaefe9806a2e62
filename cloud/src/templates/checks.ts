import { parseDocument } from 'yaml';
import { TEMPLATE_VERSION_PATTERN } from './semver.js';

export const TEMPLATE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const MAX_DOCUMENTATION_BYTES = 64 * 1024;
export const MAX_PROFILE_BYTES = 64 * 1024;
const REGISTER_KINDS = ['holding', 'input', 'coil', 'discrete'];
const SIGNAL_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const got = (value: unknown) => `(got ${JSON.stringify(value)})`;

export function nameProblem(name: string, field = 'name'): string | undefined {
  return TEMPLATE_NAME_PATTERN.test(name) ? undefined : `${field}: must be 1 to 64 of a-z 0-9 . _ -, starting with a letter or digit ${got(name)}`;
}

export function versionProblem(version: string, field = 'version'): string | undefined {
  return TEMPLATE_VERSION_PATTERN.test(version) ? undefined : `${field}: must be a semantic version like 1.2.3 or 1.2.3-rc.1, without build metadata ${got(version)}`;
}

export function textProblem(text: string, field: string, maxBytes: number): string | undefined {
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) return `${field}: must be at most ${maxBytes} bytes (got ${bytes})`;
  return text.includes('\u0000') ? `${field}: must not contain NUL characters` : undefined;
}

/**
 * Parses a Modbus device profile (YAML or JSON) and checks its basic shape: a mapping with a
 * `source` and a non-empty `registers` list, each register with a signal `name` (unique), an
 * `address` (0 to 65535) and a `register` kind. The full schema (data types, byte orders,
 * read sizes, unknown keys) lives with the gateway, which cannot be imported here: the gateway
 * checks the configuration it is sent before it takes effect, and reports a refusal.
 */
export function parseProfile(text: string, field = 'deviceProfile'): { profile?: Record<string, unknown>; problems: string[] } {
  const sizeProblem = textProblem(text, field, MAX_PROFILE_BYTES);
  if (sizeProblem) return { problems: [sizeProblem] };
  const document = parseDocument(text, { prettyErrors: false });
  const [syntax] = document.errors;
  if (syntax) return { problems: [`${field}: is not YAML or JSON: ${syntax.message}`] };
  const profile: unknown = document.toJS();
  if (!isMapping(profile)) return { problems: [`${field}: must be a mapping with source and registers ${got(profile)}`] };
  const problems: string[] = [];
  if (typeof profile['source'] !== 'string' || profile['source'] === '') problems.push(`${field}.source: must say where the register map comes from (document, version) ${got(profile['source'])}`);
  const registers = profile['registers'];
  if (!Array.isArray(registers) || registers.length === 0) {
    problems.push(`${field}.registers: must be a list of at least one register ${got(registers)}`);
    return { problems };
  }
  const names = new Set<string>();
  registers.forEach((register: unknown, index) => {
    const at = `${field}.registers[${index}]`;
    if (!isMapping(register)) {
      problems.push(`${at}: must be a mapping ${got(register)}`);
      return;
    }
    const { name, address, register: kind } = register;
    if (typeof name !== 'string' || !SIGNAL_NAME_PATTERN.test(name)) problems.push(`${at}.name: must be a signal name (a letter, then up to 63 of A-Z a-z 0-9 _) ${got(name)}`);
    else if (names.has(name)) problems.push(`${at}.name: is already used by another register ${got(name)}`);
    else names.add(name);
    if (!Number.isInteger(address) || (address as number) < 0 || (address as number) > 65535) problems.push(`${at}.address: must be a whole number from 0 to 65535 ${got(address)}`);
    if (typeof kind !== 'string' || !REGISTER_KINDS.includes(kind)) problems.push(`${at}.register: must be one of ${REGISTER_KINDS.join(', ')} ${got(kind)}`);
  });
  return problems.length > 0 ? { problems } : { profile, problems };
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
