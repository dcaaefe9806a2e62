import { spawn } from 'node:child_process';
import { REPO_ROOT } from './processes.js';

export interface EdgeCredentials {
  /** COUPLER_* variables giving the edge its required secrets: an admin API key and broker users. */
  env: Record<string, string>;
  /** The password a device connects with (its user name is its id). */
  passwordOf: (deviceId: string) => string;
  /** Headers that let a request through the edge API's key check (admin role). */
  apiHeaders: Record<string, string>;
}

/** Hashes secrets with the edge's own `--hash-secret`, as an operator would. */
function hashWithEdgeCli(secrets: readonly string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', 'edge/src/main.ts', '--hash-secret'], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const hashes = stdout.split('\n').filter((line) => line.length > 0);
      if (code === 0 && hashes.length === secrets.length) resolve(hashes);
      else reject(new Error(`coupler-edge --hash-secret exited ${String(code)}: ${stderr}`));
    });
    child.stdin.end(secrets.map((secret) => `${secret}\n`).join(''));
  });
}

/** Broker users for `deviceIds` (role device) and the gateway's service user, plus an admin API key. */
export async function edgeCredentials(deviceIds: readonly string[]): Promise<EdgeCredentials> {
  const passwordOf = (id: string) => `e2e-password-${id}`;
  const users = [...deviceIds.map((id) => ({ username: id, role: 'device' })), { username: 'gateway-service', role: 'service' }];
  const adminKey = 'e2e-admin-key-0123456789abcdef';
  const hashes = await hashWithEdgeCli([...users.map((user) => passwordOf(user.username)), adminKey]);
  const busUsers = users.map((user, i) => ({ ...user, passwordHash: hashes[i] }));
  const apiKeys = [{ name: 'e2e-admin', hash: hashes[users.length], role: 'admin' }];
  return {
    env: { COUPLER_BUS_USERS: JSON.stringify(busUsers), COUPLER_API_KEYS: JSON.stringify(apiKeys), COUPLER_SYNC_TLS: 'insecure' },
    passwordOf,
    apiHeaders: { authorization: `Bearer ${adminKey}` },
  };
}
