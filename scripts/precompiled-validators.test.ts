import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { problemsFromAjv } from '@coupler/kit';
import { standaloneValidatorModule } from '@coupler/kit/standalone-validator';
import type { TSchema } from '@sinclair/typebox';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script without type declarations
import { PRECOMPILED_VALIDATORS } from './precompiled-validators.mjs';

/** An ajv validator, typed here without ajv (the scripts resolve another major version of it). */
type ValidateFunction = ((data: unknown) => boolean) & { errors?: Parameters<typeof problemsFromAjv>[0] | null };

interface Entry { module: string; schemaModule: string; schema: string; exportName: string }

const dir = mkdtempSync(join(tmpdir(), 'coupler-precompiled-'));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

/** The TypeScript source of a module the list names by its built path. */
const sourceOf = (built: string): string =>
  new URL(`../${built.replace('edge/dist/src/', 'edge/src/').replace(/\.js$/, '.ts')}`, import.meta.url).href;

/** The validator the bundle holds for `entry`, and the one its module compiles at run time. */
async function bothValidators(entry: Entry): Promise<{ precompiled: ValidateFunction; compiled: ValidateFunction }> {
  const schemas = (await import(sourceOf(entry.schemaModule))) as Record<string, TSchema>;
  const schema = schemas[entry.schema];
  if (schema === undefined) throw new Error(`${entry.schemaModule} exports no ${entry.schema}`);
  const file = join(dir, `${entry.exportName}.mjs`);
  writeFileSync(file, standaloneValidatorModule(schema, entry.exportName));
  const generated = (await import(pathToFileURL(file).href)) as Record<string, () => ValidateFunction>;
  const original = (await import(sourceOf(entry.module))) as Record<string, unknown>;
  // The bundle swaps one module for the other: both must export the same function.
  expect(Object.keys(original)).toEqual([entry.exportName]);
  const getCompiled = original[entry.exportName] as () => ValidateFunction;
  const getPrecompiled = generated[entry.exportName];
  if (getPrecompiled === undefined) throw new Error(`the generated module exports no ${entry.exportName}`);
  return { precompiled: getPrecompiled(), compiled: getCompiled() };
}

function expectSameOutcome(validators: { precompiled: ValidateFunction; compiled: ValidateFunction }, input: unknown): void {
  const [forPrecompiled, forCompiled] = [structuredClone(input), structuredClone(input)];
  expect(validators.precompiled(forPrecompiled), JSON.stringify(input)).toBe(validators.compiled(forCompiled));
  expect(forPrecompiled).toEqual(forCompiled);
  expect(problemsFromAjv(validators.precompiled.errors ?? [], forPrecompiled)).toEqual(problemsFromAjv(validators.compiled.errors ?? [], forCompiled));
}

const entries = PRECOMPILED_VALIDATORS as Entry[];
const entry = (exportName: string): Entry => {
  const found = entries.find((e) => e.exportName === exportName);
  if (!found) throw new Error(`no precompiled validator ${exportName}`);
  return found;
};

describe('validators the image bundle holds compiled at build time (decision 0023)', () => {
  it('the edge configuration: same defaults and same problems as compiling EdgeConfigSchema at start', async () => {
    const validators = await bothValidators(entry('edgeConfigValidator'));
    const inputs: unknown[] = [
      { gateway: { id: 'train-042' } },
      { gateway: { id: 'train-042' }, security: { mode: 'development' }, bus: { port: 1884, allowAnonymous: true }, sync: { cloudUrl: 'cloud:50051', tls: 'insecure' } },
      { gateway: { id: 'train-042' }, modbus: { devices: [{ id: 'meter-1', transport: 'tcp', host: '10.0.0.5', unitId: 1, profile: 'eastron-sdm630' }] } },
      { gateway: { id: 'train 42' }, security: { mode: 'prod' }, bus: { port: 'x' }, api: { keys: [{ name: '', hash: 'plain', role: 'root' }] } },
      { gateway: { id: 'train-042' }, sync: { tls: 'tls', batchMaxRecords: 0 }, nodeRed: { flows: [{}] }, unknownSection: {} },
      {},
    ];
    for (const input of inputs) expectSameOutcome(validators, input);
  });

  it('device payloads: same readings accepted and the same reasons for a refusal', async () => {
    const validators = await bothValidators(entry('readingPayloadValidator'));
    const inputs: unknown[] = [
      { timestampMs: 1_700_000_000_000, quality: 'good', values: [{ name: 'voltage', value: 231.6, unit: 'V' }] },
      { values: [{ name: 't', value: 1 }] },
      { timestampMs: -1, quality: 'fine', values: [] },
      { timestampMs: 1_700_000_000_000, values: [{ name: '', value: 'x', unit: 'a unit far too long' }], extra: 1 },
      ['not', 'an', 'object'],
      null,
    ];
    for (const input of inputs) expectSameOutcome(validators, input);
  });

  it('covers every entry of the list', () => {
    expect(entries.map((e) => e.exportName).sort()).toEqual(['edgeConfigValidator', 'readingPayloadValidator']);
  });
});
