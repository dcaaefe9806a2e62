import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { SECRET_HASH_PATTERN, verifySecret } from '@coupler/kit';
import { tempDir } from '../helpers/wait.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXIT_LIMIT_MS = 20_000;

function runCloud(args: readonly string[], env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ['--conditions=development', '--import', 'tsx', 'cloud/src/main.ts', ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit', { signal: AbortSignal.timeout(EXIT_LIMIT_MS) }).then(
    ([code]) => code as number | null,
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('coupler-cloud (main.ts)', () => {
  it('exits 2 on a bad configuration file, naming the key, the reason and the value', async () => {
    const file = join(tempDir(), 'cloud.yaml');
    writeFileSync(file, 'grpc:\n  port: 70000\n');
    const run = runCloud(['--config', file]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain('grpc.port: must be <= 65535 (got 70000)');
    expect(run.stdout()).toBe('');
  });

  it('starts, logs where it listens, and exits 0 on SIGTERM', async () => {
    const run = runCloud([], {
      COUPLER_GRPC_PORT: '0',
      COUPLER_GRPC_TLS: 'insecure',
      COUPLER_HTTP_PORT: '0',
      COUPLER_DATA_DIR: join(tempDir(), 'data'),
    });
    const started = await new Promise<{ grpcPort: number; httpPort: number }>((resolve, reject) => {
      const onData = (): void => {
        for (const line of run.stdout().split('\n')) {
          if (!line.includes('"cloud started"')) continue;
          run.child.stdout.off('data', onData);
          resolve(JSON.parse(line) as { grpcPort: number; httpPort: number });
        }
      };
      run.child.stdout.on('data', onData);
      run.exited.then(() => {
        reject(new Error(`exited before starting: ${run.stderr()}`));
      }, reject);
    });
    expect(started.grpcPort).toBeGreaterThan(0);
    const healthz = await fetch(`http://127.0.0.1:${started.httpPort}/healthz`);
    expect(healthz.status).toBe(200);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('"cloud stopped"');
  });
});

describe('coupler-cloud --hash-secret', () => {
  it('prints one scrypt hash per key read from stdin, each verifying its key', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', 'cloud/src/main.ts', '--hash-secret'],
      { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stdin.end('first-admin-key\nsecond-key\n');
    const [code] = (await once(child, 'exit', { signal: AbortSignal.timeout(EXIT_LIMIT_MS) })) as [number | null];
    expect(code).toBe(0);
    const hashes = stdout.trim().split('\n');
    expect(hashes).toHaveLength(2);
    expect(hashes[0]).toMatch(new RegExp(SECRET_HASH_PATTERN));
    expect(await verifySecret('first-admin-key', hashes[0] ?? '')).toBe(true);
    expect(await verifySecret('second-key', hashes[1] ?? '')).toBe(true);
    expect(await verifySecret('second-key', hashes[0] ?? '')).toBe(false);
  });
});
