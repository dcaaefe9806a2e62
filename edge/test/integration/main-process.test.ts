import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifySecret } from '../../src/lib/index.js';
import { freePort } from '../helpers/free-port.js';
import { mqttClient } from '../helpers/gateway-parts.js';
import { tempDir } from '../helpers/temp-dir.js';

const EDGE_MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

interface EdgeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface RunOptions {
  stdin?: string;
  /** SIGTERM once stdout holds this text (after `beforeStop`, if given). */
  untilStdout?: string;
  beforeStop?: () => Promise<void>;
  /** Node's own options, before the tsx loader. */
  nodeOptions?: string[];
}

/** Runs coupler-edge to its end (killed after 20 s). */
function runEdge(args: string[], env: Record<string, string> = {}, options: RunOptions = {}): Promise<EdgeRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...(options.nodeOptions ?? []), '--conditions=development', '--import', 'tsx', EDGE_MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stopping = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stopping || options.untilStdout === undefined || !stdout.includes(options.untilStdout)) return;
      stopping = true;
      void (options.beforeStop?.() ?? Promise.resolve()).finally(() => child.kill('SIGTERM'));
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

  it('keeps what each message leaves young after devices start at once: V8 promotes almost none of it (decision 0027)', async () => {
    const dir = tempDir();
    const port = await freePort();
    const config = join(dir, 'edge.yaml');
    writeFileSync(config, `gateway: { id: car-1 }\ndataDir: ${join(dir, 'data')}\nsecurity: { mode: development }\nbus: { port: ${port}, allowAnonymous: true }\napi: { port: 0 }\nsync: { cloudUrl: "127.0.0.1:9", tls: insecure }\n`);
    const spawnedAt = Date.now();
    let loadStartedAtMs = Infinity;
    let loadEndedAtMs = 0;
    let acknowledged = 0;
    const DEVICES = 10;
    const EACH = 15_000;
    const WINDOW = 100;
    // Ten devices starting together, each with up to 100 QoS 1 messages waiting for their PUBACK,
    // as bench:ingest's. The group commit's objects made per message used to teach V8, in that
    // first burst, to allocate every later message's in the old generation, where they kept their
    // young parts alive through every scavenge: 1.5-2x the CPU a message from then on.
    const load = async (): Promise<void> => {
      loadStartedAtMs = Date.now() - spawnedAt;
      const devices = await Promise.all(Array.from({ length: DEVICES }, (_, i) => mqttClient(port, `load-${i}`, null)));
      const body = (n: number) => JSON.stringify({ values: [{ name: 'voltage', value: 230 + n / 100, unit: 'V' }, { name: 'current', value: n / 10, unit: 'A' }, { name: 'energy', value: 1000 + n, unit: 'kWh' }] });
      await Promise.all(devices.map(async (device, i) => {
        let next = 0;
        const sender = async (): Promise<void> => {
          while (next < EACH) {
            await device.publishAsync(`coupler/v1/devices/load-${i}/telemetry`, body(next++), { qos: 1 });
            acknowledged += 1;
          }
        };
        await Promise.all(Array.from({ length: WINDOW }, sender));
      }));
      loadEndedAtMs = Date.now() - spawnedAt;
    };
    const run = await runEdge(['--config', config], {}, { nodeOptions: ['--trace-gc-nvp'], untilStdout: 'gateway started', beforeStop: load });
    expect(run.code).toBe(0);
    expect(acknowledged).toBe(DEVICES * EACH);
    // V8's line for each scavenge: ms since the isolate started (later than the spawn, so these
    // fall inside the load), bytes allocated since the last collection, bytes promoted to the old
    // generation. The first second of the load is left out: messages in flight then are promoted
    // whatever the code does.
    let allocated = 0;
    let promoted = 0;
    for (const line of run.stdout.split('\n')) {
      const scavenge = /^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms: .* gc=s .*\ballocated=(\d+) promoted=(\d+)/.exec(line);
      const atMs = Number(scavenge?.[1]);
      if (!scavenge || atMs <= loadStartedAtMs + 1000 || atMs >= loadEndedAtMs) continue;
      allocated += Number(scavenge[2]);
      promoted += Number(scavenge[3]);
    }
    expect(allocated).toBeGreaterThan(30 * 2 ** 20);
    expect(promoted / allocated).toBeLessThan(0.1);
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
