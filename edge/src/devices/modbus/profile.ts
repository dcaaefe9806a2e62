import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import { parse } from 'yaml';
import { ConfigError, createSchemaValidator, problemsFromAjv, type DeepReadonly, deepFreeze } from '@coupler/kit';

/**
 * A device profile: the register map of one meter model, as data. Key names follow Home
 * Assistant's and Telegraf's Modbus configuration (reference/ecosystem.md §6).
 */
export const ProfileSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'Profile name, used in device configuration.' }),
    manufacturer: Type.String({ default: '' }),
    model: Type.String({ default: '' }),
    source: Type.String({ minLength: 1, description: 'Where the register map comes from (document, version).' }),
    max_registers_per_read: Type.Integer({ minimum: 1, maximum: 125, default: 125, description: 'Largest read the device answers (Modbus allows 125 registers).' }),
    registers: Type.Array(
      Type.Object(
        {
          name: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$', description: 'Signal name in records.' }),
          address: Type.Integer({ minimum: 0, maximum: 65535, description: '0-based address on the wire.' }),
          register: Type.Union([Type.Literal('holding'), Type.Literal('input'), Type.Literal('coil'), Type.Literal('discrete')]),
          data_type: Type.Union([Type.Literal('int16'), Type.Literal('uint16'), Type.Literal('int32'), Type.Literal('uint32'), Type.Literal('float32'), Type.Literal('float64')], { default: 'uint16' }),
          byte_order: Type.Union([Type.Literal('ABCD'), Type.Literal('CDAB'), Type.Literal('BADC'), Type.Literal('DCBA')], { default: 'ABCD' }),
          scale: Type.Number({ default: 1, description: 'value = raw * scale + offset' }),
          offset: Type.Number({ default: 0 }),
          unit: Type.String({ default: '', maxLength: 16 }),
          description: Type.Optional(Type.String()),
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

const validateProfile = createSchemaValidator().compile<Static<typeof ProfileSchema>>(ProfileSchema);

/** Validates a parsed profile document; throws ConfigError naming each bad key. */
export function parseProfile(document: unknown, source: string): DeviceProfile {
  if (!validateProfile(document)) {
    throw new ConfigError(source, problemsFromAjv(validateProfile.errors ?? [], document));
  }
  const profile = document;
  const seen = new Set<string>();
  const duplicates = profile.registers.flatMap((register, index) => {
    const isDuplicate = seen.has(register.name);
    seen.add(register.name);
    return isDuplicate ? [{ path: `registers[${index}].name`, reason: 'is already used by another register', value: register.name }] : [];
  });
  if (duplicates.length > 0) throw new ConfigError(source, duplicates);
  return deepFreeze(profile);
}

export function loadProfileFile(file: string): DeviceProfile {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(file, [{ path: '', reason: `cannot read the profile: ${(err as Error).message}` }], { cause: err });
  }
  return parseProfile(document, file);
}

// Built-in profiles live in edge/profiles/, found from src/ (tests, tsx) and dist/src/ (built).
const BUILTIN_DIRS = ['../../../profiles/', '../../../../profiles/'].map((dir) => fileURLToPath(new URL(dir, import.meta.url)));

/** A built-in profile by name (`eastron-sdm630`), or a profile file by path. */
export function resolveProfile(nameOrPath: string): DeviceProfile {
  if (/^[a-z0-9-]+$/.test(nameOrPath)) {
    const file = BUILTIN_DIRS.map((dir) => `${dir}${nameOrPath}.yaml`).find((path) => existsSync(path));
    if (file) return loadProfileFile(file);
  }
  return loadProfileFile(nameOrPath);
}
