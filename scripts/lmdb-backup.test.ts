// deploy/lmdb-backup.mjs against a real edge buffer: the built edge runs and keeps taking QoS 1
// publishes while the backup copies its buffer.mdb; the copy holds every record acknowledged
// before the backup, byte for byte, and an edge started on the restored copy serves them.
// Needs a build first (`npm run build`, or `tsc -b` as `npm test` runs it).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database } from 'lmdb';
import { connectAsync, type MqttClient } from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort, REPO, startProcess, tempDir, waitFor, type Started } from './staged-runtime.js';

const EDGE_MAIN = join(REPO, 'edge/dist/src/main.js');
const BACKUP = join(REPO, 'deploy/lmdb-backup.mjs');
const LANES = ['lane-billing', 'lane-alarm', 'lane-bulk'] as const;
const API_KEY = 'lmdb-backup-test-key';
const DEVICE_PASSWORD = 'lmdb-backup-test-device';

function hashSecret(secret: string): string {
  const run = spawnSync('node', [EDGE_MAIN, '--hash-secret'], { input: `${secret}\n`, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`--hash-secret failed: ${run.stderr}`);
  return run.stdout.trim();
}

const SECRETS = {
  COUPLER_API_KEYS: JSON.stringify([{ name: 'ops', hash: hashSecret(API_KEY), role: 'admin' }]),
  COUPLER_BUS_USERS: JSON.stringify([
    { username: 'meter-9', passwordHash: hashSecret(DEVICE_PASSWORD), role: 'device' },
    { username: 'node-red', passwordHash: hashSecret(`${DEVICE_PASSWORD}-service`), role: 'service' },
  ]),
};

/** The built edge on `dataDir`, syncing to a port nobody listens on, so records stay buffered. */
async function startEdge(dataDir: string): Promise<{ edge: Started; apiPort: number; busPort: number }> {
  const [apiPort, busPort, deadPort] = [await freePort(), await freePort(), await freePort()];
  const edge = startProcess('node', [EDGE_MAIN], {
    ...SECRETS,
    COUPLER_GATEWAY_ID: 'car-7',
    COUPLER_DATA_DIR: dataDir,
    COUPLER_API_PORT: String(apiPort),
    COUPLER_BUS_PORT: String(busPort),
    COUPLER_SYNC_CLOUD_URL: `127.0.0.1:${deadPort}`,
  });
  onTestFinished(() => {
    if (edge.child.exitCode === null && edge.child.signalCode === null) edge.child.kill('SIGKILL');
  });
  await waitFor('edge /healthz', async () => ((await fetch(`http://127.0.0.1:${apiPort}/healthz`)).ok ? true : undefined), { timeoutMs: 20_000, started: edge });
  return { edge, apiPort, busPort };
}

async function stop(started: Started): Promise<void> {
  started.child.kill('SIGTERM');
  const { code } = await started.exited;
  expect(code, started.output()).toBe(0);
}

async function publishReadings(client: MqttClient, kind: 'telemetry' | 'billing', count: number, from: number): Promise<void> {
  // All in flight at once: the edge commits them in groups, and each PUBACK follows its commit.
  const payload = (i: number) => JSON.stringify({ timestampMs: 1_700_000_000_000 + i, values: [{ name: 'energy', value: i, unit: 'Wh' }] });
  await Promise.all(Array.from({ length: count }, (_, k) => client.publishAsync(`coupler/v1/devices/meter-9/${kind}`, payload(from + k), { qos: 1 })));
}

/** Every record of every lane, keyed `lane/sequence`, as the bytes LMDB holds. */
function readRecords(path: string): Map<string, string> {
  const root = open({ path, readOnly: true, maxDbs: 8 });
  try {
    const records = new Map<string, string>();
    for (const lane of LANES) {
      // Read-only, a tree that was never created opens as undefined.
      const db = root.openDB<Buffer, number>({ name: lane, encoding: 'binary' }) as Database<Buffer, number> | undefined;
      if (db === undefined) continue;
      for (const { key, value } of db.getRange()) records.set(`${lane}/${String(key)}`, value.toString('hex'));
    }
    return records;
  } finally {
    void root.close();
  }
}

function runBackup(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn('node', [BACKUP, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  return new Promise((resolve) => child.on('exit', (code) => { resolve({ code, output }); }));
}

describe('deploy/lmdb-backup.mjs', () => {
  it('backs up a buffer the running edge keeps writing to; the restored copy has every record acknowledged before it', async () => {
    const dir = tempDir('coupler-backup-');
    onTestFinished(dir.remove);
    const live = join(dir.path, 'live');
    const { edge, busPort } = await startEdge(live);
    const device = await connectAsync(`mqtt://127.0.0.1:${busPort}`, { clientId: 'meter-9', username: 'meter-9', password: DEVICE_PASSWORD, reconnectPeriod: 0 });
    onTestFinished(() => device.endAsync());
    await publishReadings(device, 'billing', 20, 0);
    await publishReadings(device, 'telemetry', 300, 20);

    // The edge goes on taking publishes while the backup runs.
    const writing = publishReadings(device, 'telemetry', 300, 320);
    const target = join(dir.path, 'backups', 'buffer.mdb');
    const backup = await runBackup([join(live, 'buffer.mdb'), target]);
    await writing;
    expect(backup.output).toMatch(/lmdb-backup: .*buffer\.mdb -> .*buffer\.mdb \(\d+ bytes\)/);
    expect(backup.code).toBe(0);
    await device.endAsync();
    await stop(edge);

    const original = readRecords(join(live, 'buffer.mdb'));
    const copy = readRecords(target);
    expect(original.size).toBe(620);
    expect(copy.size).toBeGreaterThanOrEqual(320);
    expect([...copy].filter(([key, bytes]) => original.get(key) !== bytes)).toEqual([]);
    expect([...copy.keys()].filter((key) => key.startsWith('lane-billing/'))).toHaveLength(20);

    // Restore: the copy becomes buffer.mdb of a stopped gateway with the same id.
    const restored = join(dir.path, 'restored');
    mkdirSync(restored);
    copyFileSync(target, join(restored, 'buffer.mdb'));
    const again = await startEdge(restored);
    const metrics = await fetch(`http://127.0.0.1:${again.apiPort}/metrics`, { headers: { authorization: `Bearer ${API_KEY}` } }).then((r) => r.text());
    const buffered = [...metrics.matchAll(/^coupler_edge_buffer_records\{lane="\w+"\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(buffered).toBe(copy.size);
    await stop(again.edge);
  }, 90_000);

  it('makes a compacted copy with the same records', async () => {
    const dir = tempDir('coupler-backup-compact-');
    onTestFinished(dir.remove);
    const source = join(dir.path, 'telemetry.mdb');
    const db = open({ path: source, maxDbs: 8 });
    const lane = db.openDB<Buffer, number>({ name: 'lane-bulk', encoding: 'binary' });
    lane.transactionSync(() => {
      for (let i = 1; i <= 2000; i++) lane.putSync(i, Buffer.alloc(200, i % 256));
    });
    lane.transactionSync(() => {
      for (let i = 1; i <= 1500; i++) lane.removeSync(i);
    });
    const result = await runBackup(['--compact', source, join(dir.path, 'compact.mdb')]);
    await db.close();
    expect(result.code, result.output).toBe(0);
    expect(readRecords(join(dir.path, 'compact.mdb'))).toEqual(readRecords(source));
    expect(readRecords(source).size).toBe(500);
    // Compaction leaves the freed pages behind.
    expect(statSync(join(dir.path, 'compact.mdb')).size).toBeLessThan(statSync(source).size);
  });

  it('refuses a file that is not LMDB, a missing one, and an existing target, writing nothing', async () => {
    const dir = tempDir('coupler-backup-refuse-');
    onTestFinished(dir.remove);
    const notLmdb = join(dir.path, 'notes.mdb');
    writeFileSync(notLmdb, 'not a database, long enough to hold a page header....');
    const bad = await runBackup([notLmdb, join(dir.path, 'out.mdb')]);
    expect(bad).toEqual({ code: 1, output: `lmdb-backup: cannot back up ${notLmdb}: it is not an LMDB data file\n` });
    const missing = await runBackup([join(dir.path, 'none.mdb'), join(dir.path, 'out.mdb')]);
    expect(missing.output).toContain('it does not exist');
    expect(existsSync(join(dir.path, 'out.mdb'))).toBe(false);
    const source = join(dir.path, 'buffer.mdb');
    const db = open({ path: source });
    await db.put('identity', 'car-7');
    await db.close();
    const exists = await runBackup([source, notLmdb]);
    expect(exists).toEqual({ code: 1, output: `lmdb-backup: ${notLmdb} exists; choose a new name\n` });
    expect((await runBackup(['only-one.mdb'])).code).toBe(2);
  });
});
