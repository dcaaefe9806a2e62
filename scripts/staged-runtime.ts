// Test helpers for the runtime images without a Docker engine: stage an image's /app tree with
// deploy/stage-runtime.sh (what the Dockerfiles run), then run its entrypoint as a process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('..', import.meta.url));

/** A folder under the system temp dir that others may read (mkdtemp makes it 0700). */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(path, 0o755);
  return { path, remove: () => { rmSync(path, { recursive: true, force: true }); } };
}

/** Copies the build's assets as `npm run build` does, then stages `component` into `out`. */
export function stageRuntime(component: 'edge' | 'cloud', out: string): string {
  const assets = spawnSync('node', ['scripts/copy-assets.mjs'], { cwd: REPO, encoding: 'utf8' });
  if (assets.status !== 0) throw new Error(`copy-assets failed: ${assets.stderr}`);
  if (component === 'edge') {
    const bundle = spawnSync('node', ['scripts/bundle-edge.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (bundle.status !== 0) throw new Error(`bundle-edge failed: ${bundle.stderr}`);
  }
  const run = spawnSync('sh', ['deploy/stage-runtime.sh', component, out], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`stage-runtime.sh ${component} failed (${String(run.status)}): ${run.stderr}`);
  return run.stdout + run.stderr;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a command with exactly `env` (plus PATH), collecting stdout and stderr together. */
export function startProcess(command: string, args: readonly string[], env: Record<string, string>, options: { uid?: number; gid?: number; cwd?: string } = {}): Started {
  const child = spawn(command, args, { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => { resolve({ code, signal }); });
  });
  return { child, output: () => text, exited };
}

/** Polls `check` until it returns a value, or fails with `what` and the process output. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, options: { timeoutMs: number; started?: Started }): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${options.started?.output() ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Metric family names in a Prometheus text exposition. */
export function metricNames(exposition: string): Set<string> {
  return new Set(exposition.split('\n').filter((line) => line.startsWith('# TYPE ')).map((line) => line.split(' ')[2] ?? ''));
}

/** The sum of a metric's samples (`name value` or `name{labels} value`) in a Prometheus text exposition. */
export function metricValue(exposition: string, name: string): number | undefined {
  const samples = exposition.split('\n').filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`));
  return samples.length === 0 ? undefined : samples.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
