import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Type, type TSchema } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchemaValidator, problemsFromAjv } from './config-loader.js';
import { standaloneValidatorModule } from './standalone-validator.js';

const dir = mkdtempSync(join(tmpdir(), 'coupler-standalone-'));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

/** Writes the module and imports it, as a bundler would take it in. */
async function importStandalone(schema: TSchema, exportName: string): Promise<ValidateFunction> {
  const file = join(dir, `${exportName}.mjs`);
  writeFileSync(file, standaloneValidatorModule(schema, exportName));
  const module = (await import(pathToFileURL(file).href)) as Record<string, () => ValidateFunction>;
  const getValidator = module[exportName];
  if (getValidator === undefined) throw new Error(`${exportName} is not exported`);
  return getValidator();
}

// Defaults (nested, in a list), a literal union, a string length (ajv's ucs2length helper), a
// deep equality (ajv's equal helper, for uniqueItems) and a custom annotation.
const Schema = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 8 }),
    mode: Type.Union([Type.Literal('fast'), Type.Literal('safe')], { default: 'safe' }),
    limits: Type.Object({ perMinute: Type.Integer({ minimum: 1, default: 60 }) }, { additionalProperties: false, default: {} }),
    tags: Type.Array(Type.Object({ key: Type.String() }), { uniqueItems: true, default: [] }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, requiresRestart: true }),
  },
  { additionalProperties: false },
);

describe('standaloneValidatorModule', () => {
  it('fills the same defaults and reports the same problems as the schema compiled at run time', async () => {
    const precompiled = await importStandalone(Schema, 'exampleValidator');
    const compiled = createSchemaValidator().compile(Schema);
    const inputs: unknown[] = [
      { name: 'ab' },
      { name: 'abcdef', mode: 'fast', limits: { perMinute: 5 }, tags: [{ key: 'x' }, { key: 'y' }] },
      { name: 'a' },
      { name: '😀😀😀😀😀😀😀😀😀' },
      { name: 'ok', mode: 'slow', port: 70000, extra: true },
      { name: 'ok', limits: { perMinute: 0, other: 1 }, tags: [{ key: 'x' }, { key: 'x' }] },
      { mode: 3 },
      'not an object',
    ];
    for (const input of inputs) {
      const [forPrecompiled, forCompiled] = [structuredClone(input), structuredClone(input)];
      const ok = precompiled(forPrecompiled);
      expect(ok, JSON.stringify(input)).toBe(compiled(forCompiled));
      expect(forPrecompiled).toEqual(forCompiled);
      expect(problemsFromAjv(precompiled.errors ?? [], forPrecompiled)).toEqual(problemsFromAjv(compiled.errors ?? [], forCompiled));
    }
    const filled: Record<string, unknown> = { name: 'ab' };
    expect(precompiled(filled)).toBe(true);
    expect(filled).toEqual({ name: 'ab', mode: 'safe', limits: { perMinute: 60 }, tags: [], port: 8080 });
    const refused = { name: 'ok', mode: 'slow' };
    expect(precompiled(refused)).toBe(false);
    expect(problemsFromAjv(precompiled.errors ?? [], refused)).toContainEqual({ path: 'mode', reason: 'must be one of "fast", "safe"', value: 'slow' });
  });

  it('imports ajv\'s run-time helpers instead of calling require(), which an ES module lacks', () => {
    const source = standaloneValidatorModule(Schema, 'exampleValidator');
    expect(source).not.toMatch(/\brequire\(/);
    expect(source).toMatch(/^import \* as ajvRuntime0 from "\/.*ajv\/dist\/runtime\/ucs2length\.js";$/m);
    expect(source).toContain('export function exampleValidator()');
  });

  it('refuses an export name that is not a JavaScript name', () => {
    expect(() => standaloneValidatorModule(Schema, 'not-a-name')).toThrow('not a JavaScript name: not-a-name');
  });
});
