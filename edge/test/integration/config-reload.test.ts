import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { connectAsync } from 'mqtt';
import { stringify } from 'yaml';
import { hashSecret } from '../../src/lib/index.js';
import { tempDir } from '../helpers/temp-dir.js';

const EDGE_MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const WAIT_MS = 20_000;

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** coupler-edge as a process, its JSON log lines parsed as they arrive. */
function startEdge(configFile: string): { child: ChildProcess; nextLine: (msg: string) => Promise<LogLine> } {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', EDGE_MAIN, '--config', configFile], { env: { PATH: process.env['PATH'] ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const lines: LogLine[] = [];
  let seen = 0;
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) if (line.startsWith('{')) lines.push(JSON.parse(line) as LogLine);
    child.emit('log');
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  /** The next line with this message after the last one returned. */
  const nextLine = (msg: string) => new Promise<LogLine>((resolve, reject) => {
    const signal = AbortSignal.timeout(WAIT_MS);
    const look = () => {
      const index = lines.findIndex((line, i) => i >= seen && line.msg === msg);
      if (index < 0) return;
      seen = index + 1;
      child.off('log', look);
      resolve(lines[index] as LogLine);
    };
    signal.addEventListener('abort', () => {
      child.off('log', look);
      reject(new Error(`no log line "${msg}" within ${WAIT_MS} ms; got:\n${lines.map((l) => l.msg).join('\n')}\n${stderr}`));
    });
    child.on('log', look);
    look();
  });
  return { child, nextLine };
}

describe('configuration reload on SIGHUP', () => {
  it('applies new API keys, broker users and log level, says which changes need a restart, and keeps running on a bad file', async () => {
    const dir = tempDir();
    const file = join(dir, 'edge.yaml');
    const [oldKey, newKey, service, meter] = await Promise.all(['old-api-key-123', 'new-api-key-456', 'service-password-789', 'meter-password-012'].map((s) => hashSecret(s)));
    const serviceUser = { username: 'node-red', passwordHash: service, role: 'service' };
    const config = (apiKey: string, extra: Record<string, unknown> = {}) => stringify({
      gateway: { id: 'car-1' },
      dataDir: join(dir, 'data'),
      bus: { port: 0, users: [serviceUser] },
      api: { port: 0, keys: [{ name: 'ops', hash: apiKey, role: 'admin' }] },
      ...extra,
    });
    /** Rewrites the file keeping its modification time, so only the SIGHUP triggers the reload. */
    const rewriteQuietly = (text: string) => {
      const { atime, mtime } = statSync(file);
      writeFileSync(file, text);
      utimesSync(file, atime, mtime);
    };
    writeFileSync(file, config(oldKey ?? ''));
    const edge = startEdge(file);
    const started = await edge.nextLine('gateway started');
    const { http: port, mqtt: busPort } = started['ports'] as { http: number; mqtt: number };
    const connectMeter = () => connectAsync(`mqtt://127.0.0.1:${busPort}`, { clientId: 'meter-5', username: 'meter-5', password: 'meter-password-012', reconnectPeriod: 0 });
    await expect(connectMeter()).rejects.toThrow("Connection refused: Bad username or password");
    const metrics = (key: string) => fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${key}` } });
    expect((await metrics('old-api-key-123')).status).toBe(200);

    // A new key, a new broker user, a new log level, and a port change that cannot be applied live.
    const users = [serviceUser, { username: 'meter-5', passwordHash: meter, role: 'device' }];
    rewriteQuietly(config(newKey ?? '', { log: { level: 'debug' }, bus: { port: 0, users }, api: { port: 1, keys: [{ name: 'ops', hash: newKey, role: 'admin' }] } }));
    edge.child.kill('SIGHUP');
    const applied = await edge.nextLine('configuration reloaded');
    expect(applied['applied']).toEqual(['log.level', 'bus.users', 'api.keys']);
    await (await connectMeter()).endAsync();
    const restart = await edge.nextLine('restart required for some changes; they are not in force');
    expect(restart['keys']).toEqual(['api.port']);
    expect((await metrics('old-api-key-123')).status).toBe(401);
    expect((await metrics('new-api-key-456')).status).toBe(200);

    // A file with a typo: refused with the key and the reason, the running configuration stays.
    rewriteQuietly(`${config(newKey ?? '')}sync:\n  cloudUrll: cloud:50051\n`);
    edge.child.kill('SIGHUP');
    const refused = await edge.nextLine('configuration reload refused; the running configuration stays');
    expect(refused['problems']).toEqual([`sync.cloudUrll: is not a known key (got "cloud:50051") [line ${String(config(newKey ?? '').split('\n').length + 1)}]`]);
    const after = await (await metrics('new-api-key-456')).text();
    expect(after).toContain('coupler_edge_config_reloads_total{result="applied"} 1');
    expect(after).toContain('coupler_edge_config_reloads_total{result="refused"} 1');

    // Saving the file is enough: its new modification time triggers the reload.
    writeFileSync(file, config(oldKey ?? ''));
    expect(await edge.nextLine('configuration reloaded')).toMatchObject({ applied: ['log.level', 'bus.users', 'api.keys'] });
    await expect(connectMeter()).rejects.toThrow("Connection refused: Bad username or password");
    expect((await metrics('old-api-key-123')).status).toBe(200);

    edge.child.kill('SIGTERM');
    const exitCode = await new Promise((resolve) => edge.child.once('exit', resolve));
    expect(exitCode).toBe(0);
  }, 60_000);

  it('merges the desired configuration kept in the data folder at start and at every reload, and says so', async () => {
    const dir = tempDir();
    const file = join(dir, 'edge.yaml');
    const dataDir = join(dir, 'data');
    writeFileSync(file, stringify({ gateway: { id: 'car-2' }, dataDir, security: { mode: 'development' }, bus: { port: 0 }, api: { port: 0 } }));
    // As the desired-state applier leaves it (docs/remote-configuration.md).
    const desired = { version: '1.0.0', sha256: 'c'.repeat(64), document: { modbus: { devices: [{ id: 'traction', profile: 'eastron-sdm630', host: '127.0.0.1', port: 1 }] } } };
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'desired-config.json'), JSON.stringify(desired));
    const edge = startEdge(file);
    const merged = { version: '1.0.0', sha256: desired.sha256, keys: ['modbus.devices'] };
    expect(await edge.nextLine('desired configuration from the cloud merged over the configuration file')).toMatchObject(merged);
    expect(await edge.nextLine('modbus polling started')).toMatchObject({ devices: ['traction'] });
    await edge.nextLine('gateway started');
    edge.child.kill('SIGHUP');
    expect(await edge.nextLine('desired configuration from the cloud merged over the configuration file')).toMatchObject(merged);
    await edge.nextLine('configuration unchanged');
    edge.child.kill('SIGTERM');
    expect(await new Promise((resolve) => edge.child.once('exit', resolve))).toBe(0);
  }, 60_000);
});
