import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifySecret } from '../../src/lib/index.js';
import { tempDir } from '../helpers/temp-dir.js';

const EDGE_MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

interface EdgeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs coupler-edge to its end (killed after 20 s); `untilStdout` sends SIGTERM once stdout holds it. */
function runEdge(args: string[], env: Record<string, string> = {}, options: { stdin?: string; untilStdout?: string } = {}): Promise<EdgeRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', EDGE_MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (options.untilStdout !== undefined && stdout.includes(options.untilStdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdin.end(options.stdin ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('coupler-edge process', () => {
  it('refuses a bad configuration file with exit code 2 and names the key, the reason and the value', async () => {
    const file = join(tempDir(), 'edge.yaml');
    writeFileSync(file, 'gateway:\n  id: car-1\nbus:\n  port: 99999\n');
    const { code, stderr } = await runEdge(['--config', file]);
    expect(code).toBe(2);
    expect(stderr).toBe(`invalid configuration in ${file}:\n  bus.port: must be <= 65535 (got 99999) [line 4]\n`);
  });

  it('names a gateway id that is missing from file and environment', async () => {
    const { code, stderr } = await runEdge([], { COUPLER_GATEWAY_ID: '' });
    expect(code).toBe(2);
    expect(stderr).toContain('gateway.id: must match pattern');
  });

  it('refuses to start without secrets outside development mode, naming each missing one', async () => {
    const { code, stderr } = await runEdge([], { COUPLER_GATEWAY_ID: 'car-1', COUPLER_DATA_DIR: tempDir() });
    expect(code).toBe(2);
    expect(stderr).toContain('api.keys: missing secret: an API key with role admin is required');
    expect(stderr).toContain('bus.users: missing secret: a broker user with role service is required');
  });

  it('generates the missing secrets in development mode into files only the owner can read, and says where', async () => {
    const dataDir = tempDir();
    const run = await runEdge([], { COUPLER_GATEWAY_ID: 'car-1', COUPLER_DATA_DIR: dataDir, COUPLER_SECURITY_MODE: 'development', COUPLER_BUS_PORT: '0', COUPLER_API_PORT: '0' }, { untilStdout: 'gateway started' });
    expect(run.code).toBe(0);
    for (const name of ['api-admin-key', 'bus-service-password']) {
      const file = join(dataDir, 'secrets', name);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const secret = readFileSync(file, 'utf8').trim();
      expect(secret.length).toBeGreaterThanOrEqual(20);
      expect(run.stdout).toContain(file);
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
  });

  it('prints one scrypt hash per secret given on standard input, each verifying its own secret', async () => {
    const run = await runEdge(['--hash-secret'], {}, { stdin: 'first-password\nsecond-password\n' });
    expect(run.code).toBe(0);
    const hashes = run.stdout.trim().split('\n');
    expect(hashes).toHaveLength(2);
    expect(await verifySecret('first-password', hashes[0] ?? '')).toBe(true);
    expect(await verifySecret('second-password', hashes[1] ?? '')).toBe(true);
    expect(await verifySecret('second-password', hashes[0] ?? '')).toBe(false);
  });
});
