import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finished, runTs, startCloudProcess } from './processes.js';
import type { ChildProcess } from 'node:child_process';

const ADMIN_KEY = 'cli-admin-key-0123456789abcdef';
const VIEWER_KEY = 'cli-viewer-key-0123456789abcdef';

describe('coupler, the operator command line, against a running cloud', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-cli-'));
  let cloud: ChildProcess | undefined;
  let apiPort = 0;
  const cli = (args: readonly string[], env: Record<string, string> = {}) =>
    finished(runTs('cli/src/main.ts', args, { COUPLER_CLOUD: `127.0.0.1:${apiPort}`, COUPLER_CA_FILE: join(dir, 'cloud', 'identity', 'ca.crt'), HOME: join(dir, 'home'), ...env }), 30_000);
  const asAdmin = (args: readonly string[]) => cli(args, { COUPLER_API_KEY: ADMIN_KEY });

  beforeAll(async () => {
    const started = await startCloudProcess(join(dir, 'cloud'), [
      { name: 'ops-admin', role: 'admin', key: ADMIN_KEY },
      { name: 'ops-viewer', role: 'viewer', key: VIEWER_KEY },
    ]);
    cloud = started.child;
    apiPort = started.apiPort;
  }, 60_000);

  afterAll(() => {
    cloud?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a bootstrap token, and its --json output parses', async () => {
    const run = await asAdmin(['tokens', 'create', 'car-7', '--ttl', '600', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as { gatewayId: string; token: string; expiresAtMs: number };
    expect(answer.gatewayId).toBe('car-7');
    expect(answer.token.length).toBeGreaterThanOrEqual(20);
    expect(answer.expiresAtMs).toBeGreaterThan(Date.now());
  });

  it('lists the fleet for people and for scripts', async () => {
    const human = await asAdmin(['gateways', 'list']);
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n')[0]).toMatch(/^GATEWAY\s+CONNECTED\s+LAST SEEN/);
    const json = await asAdmin(['gateways', 'list', '--json']);
    expect(Array.isArray(JSON.parse(json.stdout))).toBe(true);
  });

  it('exits 1 with PERMISSION_DENIED when a viewer key tries a change, and the audit log has the attempt', async () => {
    const denied = await cli(['tokens', 'create', 'car-8'], { COUPLER_API_KEY: VIEWER_KEY });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^coupler: PERMISSION_DENIED: /);
    const audit = await asAdmin(['audit', 'list', '--json']);
    const events = JSON.parse(audit.stdout) as { actor: string; target: string; outcome: string }[];
    expect(events.some((event) => event.actor.includes('ops-viewer') && event.target.includes('car-8') && event.outcome !== 'ok')).toBe(true);
    expect(events.some((event) => event.actor.includes('ops-admin') && event.target.includes('car-7'))).toBe(true);
  });

  it('revokes a gateway', async () => {
    const run = await asAdmin(['gateways', 'revoke', 'car-7', '--reason', 'stolen', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ gatewayId: 'car-7', endedStreams: 0 });
  });

  it('never takes the API key from a flag, and names what is missing', async () => {
    const flag = await cli(['--api-key', ADMIN_KEY, 'gateways', 'list']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--api-key is not taken: a key on the command line lands in shell history');
    const none = await cli(['gateways', 'list']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no API key: set COUPLER_API_KEY');
    const unknown = await asAdmin(['rockets', 'launch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "rockets launch"');
  });

  it('reads the key from a config file only the owner can read', async () => {
    const file = join(dir, 'cli.yaml');
    writeFileSync(file, `cloud: 127.0.0.1:${apiPort}\napiKey: ${ADMIN_KEY}\ncaFile: ${join(dir, 'cloud', 'identity', 'ca.crt')}\n`, { mode: 0o644 });
    const open = await cli(['gateways', 'list', '--config', file], { COUPLER_CLOUD: '', COUPLER_CA_FILE: '' });
    expect(open.code).toBe(2);
    expect(open.stderr).toContain('is readable by others; chmod 600 it');
    chmodSync(file, 0o600);
    const closed = await finished(runTs('cli/src/main.ts', ['gateways', 'list', '--json', '--config', file], { HOME: join(dir, 'home') }), 30_000);
    expect(closed.stderr).toBe('');
    expect(closed.code).toBe(0);
  });
});
