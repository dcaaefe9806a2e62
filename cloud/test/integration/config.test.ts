import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@coupler/kit';
import { loadCloudConfig } from '../../src/config/index.js';
import { tempDir } from '../helpers/wait.js';

function configError(action: () => unknown): ConfigError {
  try {
    action();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadCloudConfig', () => {
  it('fills every default', () => {
    expect(loadCloudConfig({ env: {} })).toEqual({
      version: 1,
      dataDir: './data/cloud',
      store: { kind: 'lmdb', postgresUrl: '' },
      leader: { intervalMs: 2000 },
      log: { level: 'info' },
      grpc: { host: '127.0.0.1', port: 50051, maxBatchRecords: 5000, tls: 'mtls' },
      api: { host: '127.0.0.1', port: 50052, rateLimitBurst: 60, rateLimitPerSecond: 10 },
      identity: {
        caCertFile: '',
        caKeyFile: '',
        serverCertFile: '',
        serverKeyFile: '',
        artifactSigningKeyFile: '',
        serverNames: ['localhost', '127.0.0.1'],
        certificateValidDays: 365,
        apiKeys: [],
      },
      http: { host: '127.0.0.1', port: 8080 },
      dashboard: {
        users: [],
        sessionIdleMinutes: 30,
        sessionMaxHours: 12,
        secureCookie: false,
        maxFailedLogins: 5,
        failedLoginWindowSeconds: 300,
      },
      retention: { rawMaxAgeDays: 0, intervalSeconds: 3600, batchRecords: 5000, maxBatchesPerRun: 200 },
    });
  });

  it('refuses a dashboard user whose password is not an scrypt hash, naming the user', () => {
    const file = join(tempDir(), 'cloud.yaml');
    writeFileSync(
      file,
      'dashboard:\n  users:\n    - { username: anna, passwordHash: hunter2, role: viewer }\n',
    );
    const error = configError(() => loadCloudConfig({ file, env: {} }));
    expect(error.message).toContain('dashboard.users[0].passwordHash: must match pattern');
  });

  it('names every bad key, the reason and the value', () => {
    const file = join(tempDir(), 'cloud.yaml');
    writeFileSync(file, 'grpc: { port: 70000 }\nhtpp: {}\nlog: { level: loud }\n');
    const error = configError(() => loadCloudConfig({ file, env: {} }));
    expect(error.code).toBe('CPL_ERR_CONFIG_INVALID');
    expect(error.message).toContain(`invalid configuration in ${file}:`);
    expect(error.message).toContain('grpc.port: must be <= 65535 (got 70000)');
    expect(error.message).toContain('htpp: is not a known key');
    expect(error.message).toContain(
      'log.level: must be one of "trace", "debug", "info", "warn", "error", "fatal" (got "loud")',
    );
  });

  it('takes COUPLER_* environment overrides over the file', () => {
    const file = join(tempDir(), 'cloud.yaml');
    writeFileSync(file, 'http: { port: 9000 }\ngrpc: { maxBatchRecords: 10 }\n');
    const config = loadCloudConfig({
      file,
      env: { COUPLER_HTTP_PORT: '9100', COUPLER_DATA_DIR: '/srv/coupler' },
    });
    expect(config.http.port).toBe(9100);
    expect(config.grpc.maxBatchRecords).toBe(10);
    expect(config.dataDir).toBe('/srv/coupler');
  });

  it('names a bad environment variable', () => {
    const error = configError(() => loadCloudConfig({ env: { COUPLER_HTTP_PORT: 'eighty' } }));
    expect(error.message).toContain('COUPLER_HTTP_PORT: must be a number (got "eighty")');
  });

  it('returns a frozen configuration', () => {
    const config = loadCloudConfig({ env: {} });
    expect(Object.isFrozen(config.grpc)).toBe(true);
  });
});
