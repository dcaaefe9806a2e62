import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import {
  ConfigError,
  createSchemaValidator,
  deepFreeze,
  problemsFromAjv,
  type ConfigProblem,
  type DeepReadonly,
} from '@coupler/kit';
import { WORDS_PER_TYPE } from './codec.js';

const literals = <T extends string>(values: readonly T[]) =>
  values.map((value) => Type.Literal(value));

/**
 * A device profile: the register map of one meter model, as data. Key names follow Home
 * Assistant's and Telegraf's Modbus configuration (reference/ecosystem.md §6), so snake_case
 * here, unlike the gateway configuration.
 */
export const ProfileSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Profile name, used in device configuration.' }),
    manufacturer: Type.String({ default: '' }),
    model: Type.String({ default: '' }),
    source: Type.String({
      minLength: 1,
      description: 'Where the register map comes from (document, version).',
    }),
    max_registers_per_read: Type.Integer({
      minimum: 1,
      maximum: 125,
      default: 125,
      description: 'Largest read the device answers (Modbus allows 125 registers).',
    }),
    registers: Type.Array(
      Type.Object(
        {
          name: Type.String({
            pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$',
            description: 'Signal name in records (camelCase).',
          }),
          address: Type.Integer({
            minimum: 0,
            maximum: 65535,
            description: '0-based address on the wire (3X/4X number minus 30001/40001).',
          }),
          register: Type.Union(literals(['holding', 'input', 'coil', 'discrete'] as const), {
            description: 'FC3, FC4, FC1, FC2.',
          }),
          data_type: Type.Union(
            literals(['int16', 'uint16', 'int32', 'uint32', 'float32', 'float64'] as const),
            { default: 'uint16' },
          ),
          byte_order: Type.Union(literals(['ABCD', 'CDAB', 'BADC', 'DCBA'] as const), {
            default: 'ABCD',
          }),
          scale: Type.Number({ default: 1, description: 'value = raw * scale + offset' }),
          offset: Type.Number({ default: 0 }),
          precision: Type.Optional(
            Type.Integer({
              minimum: 0,
              maximum: 9,
              description:
                "Decimal places the value is rounded to after scale and offset (Home Assistant's `precision`); default: the value as decoded. To round to tens, change the unit with scale instead (scale: 0.001, unit: kW, precision: 2).",
            }),
          ),
          unit: Type.String({
            default: '',
            maxLength: 16,
            description: 'V, A, W, kWh, Hz; empty when dimensionless.',
          }),
          description: Type.Optional(Type.String()),
          poll_interval_ms: Type.Optional(
            Type.Integer({
              minimum: 50,
              maximum: 86_400_000,
              description:
                'Read this value only this often (a slow counter, a setting); default: at every poll of the device. Values with the same interval are read together.',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);

export type DeviceProfile = DeepReadonly<Static<typeof ProfileSchema>>;
export type ProfileRegister = DeviceProfile['registers'][number];

// Compiled on first use, so importing this module does no work.
let validator: ReturnType<typeof compileValidator> | undefined;
function compileValidator() {
  return createSchemaValidator().compile<Static<typeof ProfileSchema>>(ProfileSchema);
}

/** What one key cannot say: unique names, a value that fits in the address space and in one read. */
function crossCheck(profile: Static<typeof ProfileSchema>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  profile.registers.forEach((register, index) => {
    if (seen.has(register.name))
      problems.push({
        path: `registers[${index}].name`,
        reason: 'is already used by another register',
        value: register.name,
      });
    seen.add(register.name);
    const isBit = register.register === 'coil' || register.register === 'discrete';
    const words = isBit ? 1 : WORDS_PER_TYPE[register.data_type];
    if (register.address + words - 1 > 65535) {
      problems.push({
        path: `registers[${index}].address`,
        reason: `leaves no room for the ${words} registers of a ${register.data_type}`,
        value: register.address,
      });
    }
    if (words > profile.max_registers_per_read) {
      problems.push({
        path: `registers[${index}].data_type`,
        reason: `needs ${words} registers, more than max_registers_per_read`,
        value: register.data_type,
      });
    }
  });
  return problems;
}

/**
 * Validates a parsed profile document and fills defaults; throws ConfigError naming each bad
 * key, the reason and the value. `locate` adds the YAML line when known.
 */
export function parseProfile(
  document: unknown,
  source: string,
  locate?: (segments: readonly string[]) => number | undefined,
): DeviceProfile {
  validator ??= compileValidator();
  if (!validator(document))
    throw new ConfigError(source, problemsFromAjv(validator.errors ?? [], document, locate));
  const problems = crossCheck(document);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return deepFreeze(document);
}

function lineLocator(
  doc: Document,
  lines: LineCounter,
): (segments: readonly string[]) => number | undefined {
  return (segments) => {
    for (let depth = segments.length; depth > 0; depth--) {
      const node: unknown = doc.getIn(
        segments.slice(0, depth).map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
        true,
      );
      if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
}

/** Reads and validates a profile file (YAML). */
export function loadProfile(file: string): DeviceProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      file,
      [{ path: '', reason: `cannot read the profile: ${(err as Error).message}` }],
      { cause: err },
    );
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({
        path: '',
        reason: `YAML syntax: ${e.message.split('\n')[0] ?? ''}`,
        line: lines.linePos(e.pos[0]).line,
      })),
    );
  }
  return parseProfile(doc.toJS(), file, lineLocator(doc, lines));
}

/**
 * Built-in profiles are the .yaml files in profiles/ next to this module. `tsc` copies no YAML,
 * so a build must copy src/devices/modbus/profiles/ to dist/src/devices/modbus/profiles/; until
 * it does, the built module falls back to the sources in the same checkout. In the one-file
 * bundle (dist/src/main.bundle.js, scripts/bundle-edge.mjs) this module's URL is the bundle's.
 */
const BUILTIN_DIRS = [
  new URL('./profiles/', import.meta.url),
  new URL('./devices/modbus/profiles/', import.meta.url),
  new URL('../../../../src/devices/modbus/profiles/', import.meta.url),
].map((url) => fileURLToPath(url));
const BUILTIN_NAME = /^[a-z0-9][a-z0-9-]*$/;

export function builtinProfileNames(): string[] {
  const dir = BUILTIN_DIRS.find((d) => existsSync(d));
  if (dir === undefined) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** A built-in profile by name, e.g. `eastron-sdm630`. */
export function loadBuiltinProfile(name: string): DeviceProfile {
  const file = BUILTIN_NAME.test(name)
    ? BUILTIN_DIRS.map((dir) => `${dir}${name}.yaml`).find((path) => existsSync(path))
    : undefined;
  if (file === undefined) {
    const known = builtinProfileNames()
      .map((n) => JSON.stringify(n))
      .join(', ');
    throw new ConfigError('built-in profiles', [
      {
        path: 'profile',
        reason: `is not a built-in profile (built-ins: ${known || 'none found'})`,
        value: name,
      },
    ]);
  }
  return loadProfile(file);
}

/** Where bare profile names are looked up before the built-ins. */
export interface ProfileLookup {
  /** User profile folders, searched in order for `<name>.yaml`, `<name>.yml` or `<name>.json`. */
  profileDirs?: readonly string[];
}

const USER_PROFILE_EXTENSIONS = ['.yaml', '.yml', '.json'];

function userProfileFile(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    for (const extension of USER_PROFILE_EXTENSIONS) {
      const file = join(dir, `${name}${extension}`);
      if (existsSync(file)) return file;
    }
  }
  return undefined;
}

/**
 * What a device's `profile` key names: a bare name (`eastron-sdm630`) is looked up in the user
 * profile folders first, so a user can ship a corrected copy of a built-in, then among the
 * built-ins; anything else is a file path. A user profile found by name must carry that name.
 */
export function resolveProfile(nameOrPath: string, lookup: ProfileLookup = {}): DeviceProfile {
  if (!BUILTIN_NAME.test(nameOrPath)) return loadProfile(nameOrPath);
  const dirs = lookup.profileDirs ?? [];
  const file = userProfileFile(nameOrPath, dirs);
  if (file === undefined) {
    if (dirs.length === 0 || builtinProfileNames().includes(nameOrPath))
      return loadBuiltinProfile(nameOrPath);
    const known = builtinProfileNames()
      .map((n) => JSON.stringify(n))
      .join(', ');
    throw new ConfigError('device profiles', [
      {
        path: 'profile',
        reason: `is neither in the profile folders (${dirs.join(', ')}) nor a built-in profile (built-ins: ${known || 'none found'})`,
        value: nameOrPath,
      },
    ]);
  }
  const profile = loadProfile(file);
  if (profile.name !== nameOrPath)
    throw new ConfigError(file, [
      {
        path: 'name',
        reason: `must equal the file name, ${JSON.stringify(nameOrPath)}, that devices refer to`,
        value: profile.name,
      },
    ]);
  return profile;
}
