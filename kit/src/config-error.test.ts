import { describe, expect, it } from 'vitest';
import { formatProblem } from './config-error.js';

describe('formatProblem', () => {
  it('shows the value that is wrong', () => {
    expect(formatProblem({ path: 'modbus.devices[2].unitId', reason: 'must be <= 247', value: 300, line: 7 })).toBe('modbus.devices[2].unitId: must be <= 247 (got 300) [line 7]');
  });

  it('never shows a secret, a hash, a token or the password of a URL, also inside an object or a list', () => {
    expect(formatProblem({ path: 'sync.enrolment.bootstrapToken', reason: 'must be at least 32 characters', value: 'short-secret' })).toBe(
      'sync.enrolment.bootstrapToken: must be at least 32 characters (got "<redacted, 12 characters>")',
    );
    expect(formatProblem({ path: 'store.postgresUrl', reason: 'must be a postgres:// URL', value: 'http://coupler:hunter2@db/coupler' })).toBe(
      'store.postgresUrl: must be a postgres:// URL (got "http://coupler:<redacted>@db/coupler")',
    );
    expect(formatProblem({ path: 'store.postgresUrl', reason: 'must be a postgres:// URL', value: 'mysql://db/fleet' })).toContain('(got "mysql://db/fleet")');
    const user = formatProblem({ path: 'bus.users[0]', reason: 'must have a role', value: { username: 'meter-1', passwordHash: 'scrypt$abc' } });
    expect(user).toBe('bus.users[0]: must have a role (got {"username":"meter-1","passwordHash":"<redacted, 10 characters>"})');
    expect(formatProblem({ path: 'api.keys', reason: 'must be a list', value: [{ name: 'ops', hash: 'x' }] })).not.toContain('"x"');
    expect(formatProblem({ path: 'nodeRed.credentialSecret', reason: 'too short', value: 'abc' })).not.toContain('abc');
  });
});
