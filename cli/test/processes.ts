import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashSecret } from '@coupler/kit';
import { expect } from 'vitest';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runTs(entry: string, args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--conditions=development', '--import', 'tsx', entry, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function finished(child: ChildProcess, limitMs: number): Promise<Run> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  return port;
}

export async function waitForPort(port: number, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => { resolve(false); });
    });
    if (isOpen) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on ${port} within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface CloudProcess {
  child: ChildProcess;
  apiPort: number;
  syncPort: number;
  /** Health, /metrics and the dashboard. */
  httpPort: number;
  /** The fleet CA that signed the cloud's server certificate. */
  caFile: string;
}

/** The cloud's own entry point as a child process (mTLS sync port, TLS API port), with the given API keys. */
export async function startCloudProcess(dataDir: string, keys: readonly { name: string; role: string; key: string }[]): Promise<CloudProcess> {
  const [apiPort, syncPort, httpPort] = [await freePort(), await freePort(), await freePort()];
  const apiKeys = await Promise.all(keys.map(async ({ name, role, key }) => ({ name, role, hash: await hashSecret(key) })));
  const child = runTs('cloud/src/main.ts', [], {
    COUPLER_DATA_DIR: dataDir,
    COUPLER_GRPC_PORT: String(syncPort),
    COUPLER_API_PORT: String(apiPort),
    COUPLER_HTTP_PORT: String(httpPort),
    COUPLER_LOG_LEVEL: 'warn',
    COUPLER_IDENTITY_API_KEYS: JSON.stringify(apiKeys),
  });
  await waitForPort(apiPort, 45_000);
  return { child, apiPort, syncPort, httpPort, caFile: join(dataDir, 'identity', 'ca.crt') };
}

/**
 * The CLI as an operator runs it against `cloud()` (its API port and CA), with `defaultKey`
 * unless a call names another: `cli` gives the run, `ok` also expects exit 0 and no stderr.
 */
export function cliAgainst(cloud: () => CloudProcess | undefined, home: string, defaultKey: string) {
  const cli = (args: readonly string[], key = defaultKey) =>
    finished(runTs('cli/src/main.ts', args, { COUPLER_CLOUD: `127.0.0.1:${cloud()?.apiPort ?? 0}`, COUPLER_CA_FILE: cloud()?.caFile ?? '', COUPLER_API_KEY: key, HOME: home }), 30_000);
  const ok = async (args: readonly string[], key?: string): Promise<Run> => {
    const run = await cli(args, key);
    expect({ code: run.code, stderr: run.stderr }, args.join(' ')).toEqual({ code: 0, stderr: '' });
    return run;
  };
  return { cli, ok };
}
