import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.js';
import { loadEdgeConfig } from './load.js';

function configFile(yaml: string): string {
  const file = join(tempDir(), 'edge.yaml');
  writeFileSync(file, yaml);
  return file;
}

function loadError(file: string | undefined, env: Record<string, string> = {}): string {
  try {
    loadEdgeConfig({ file, env });
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadEdgeConfig', () => {
  it('fills defaults and documents ports', () => {
    const config = loadEdgeConfig({ file: configFile('gateway:\n  id: car-1\nsecurity:\n  mode: development\n'), env: {} });
    expect(config).toMatchObject({ version: 1, gateway: { id: 'car-1' }, bus: { host: '127.0.0.1', port: 1883 }, api: { port: 8081 }, sync: { cloudUrl: '127.0.0.1:50051', windowBatches: 8 }, modbus: { devices: [] } });
  });

  it('names every bad key with the reason, the value and the line', () => {
    const file = configFile(
      [
        'gateway:',
        '  id: car-1',
        'sync:',
        '  cloudUrll: cloud.example:443',
        'modbus:',
        '  devices:',
        '    - id: meter-1',
        '      profile: eastron-sdm630',
        '      host: 127.0.0.1',
        '      unitId: 300',
      ].join('\n'),
    );
    expect(loadError(file)).toBe(
      [
        `invalid configuration in ${file}:`,
        '  sync.cloudUrll: is not a known key (got "cloud.example:443") [line 4]',
        '  modbus.devices[0].unitId: must be <= 247 (got 300) [line 10]',
      ].join('\n'),
    );
  });

  it('reports a missing required key and a cross-field problem', () => {
    expect(loadError(configFile('bus:\n  port: 1884\n'))).toMatch(/^ {2}gateway: is required$/m);
    const duplicate = configFile(
      'gateway: { id: car-1 }\nmodbus:\n  devices:\n    - { id: m1, profile: eastron-sdm630, host: a }\n    - { id: m1, profile: eastron-sdm630, host: b }\n',
    );
    expect(loadError(duplicate)).toMatch(/ {2}modbus\.devices\[1\]\.id: is already used by another device \(got "m1"\) \[line 5\]/);
  });

  it('takes COUPLER_* overrides derived from the schema, after the file', () => {
    const config = loadEdgeConfig({
      file: configFile('gateway:\n  id: car-1\nsecurity:\n  mode: development\nsync:\n  batchMaxRecords: 10\n'),
      env: {
        COUPLER_SYNC_BATCH_MAX_RECORDS: '250',
        COUPLER_SYNC_CLOUD_URL: 'cloud.local:50051',
        COUPLER_LOG_LEVEL: 'debug',
        COUPLER_MODBUS_DEVICES: '[{"id":"m1","profile":"eastron-sdm630","host":"10.0.0.5"}]',
      },
    });
    expect(config.sync).toMatchObject({ batchMaxRecords: 250, cloudUrl: 'cloud.local:50051' });
    expect(config.log.level).toBe('debug');
    expect(config.modbus.devices).toEqual([{ id: 'm1', profile: 'eastron-sdm630', transport: 'tcp', host: '10.0.0.5', port: 502, unitId: 1, pollIntervalMs: 1000, timeoutMs: 1000, retries: 1 }]);
  });

  it('names a bad environment variable and its value', () => {
    expect(loadError(undefined, { COUPLER_GATEWAY_ID: 'car-1', COUPLER_BUS_PORT: 'eighteen' })).toBe(
      'invalid configuration in environment:\n  COUPLER_BUS_PORT: must be a number (got "eighteen")',
    );
  });

  it('reports YAML syntax errors with their line', () => {
    expect(loadError(configFile('gateway:\n  id: [car-1\n'))).toMatch(/YAML syntax: .* \[line \d\]/);
  });

  it('returns a frozen configuration', () => {
    const config = loadEdgeConfig({ file: undefined, env: { COUPLER_GATEWAY_ID: 'car-1', COUPLER_SECURITY_MODE: 'development' } });
    expect(Object.isFrozen(config.sync)).toBe(true);
  });
});
