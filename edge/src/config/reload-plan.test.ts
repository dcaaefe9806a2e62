import { describe, expect, it } from 'vitest';
import { loadEdgeConfig } from './load.js';
import { configChanges } from './reload-plan.js';
import { EdgeConfigSchema } from './schema.js';

const base = { COUPLER_GATEWAY_ID: 'car-1', COUPLER_SECURITY_MODE: 'development' };
const load = (env: Record<string, string>) => loadEdgeConfig({ env: { ...base, ...env } });

describe('configChanges', () => {
  it('finds nothing between two loads of the same settings', () => {
    expect(configChanges(EdgeConfigSchema, load({}), load({}))).toEqual([]);
  });

  it('names each changed setting by its documented path, with the schema\'s requiresRestart', () => {
    const before = load({ COUPLER_API_PORT: '8081', COUPLER_LOG_LEVEL: 'info' });
    const after = load({ COUPLER_API_PORT: '9000', COUPLER_LOG_LEVEL: 'debug', COUPLER_SYNC_BATCH_MAX_RECORDS: '50' });
    expect(configChanges(EdgeConfigSchema, before, after)).toEqual([
      { path: 'log.level', requiresRestart: false },
      { path: 'api.port', requiresRestart: true },
      { path: 'sync.batchMaxRecords', requiresRestart: false },
    ]);
  });

  it('treats a list as one setting: a changed entry changes the list', () => {
    const key = (name: string) => JSON.stringify([{ name, hash: `scrypt$16384$8$1$${'a'.repeat(22)}$${'b'.repeat(43)}`, role: 'admin' }]);
    const changes = configChanges(EdgeConfigSchema, load({ COUPLER_API_KEYS: key('ops') }), load({ COUPLER_API_KEYS: key('ops-2') }));
    expect(changes).toEqual([{ path: 'api.keys', requiresRestart: false }]);
  });
});
