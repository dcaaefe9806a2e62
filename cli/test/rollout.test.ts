import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials, Metadata } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCouplerProto } from '@coupler/proto';
import type { RolloutJson } from '../src/rollouts.js';
import { cliAgainst, startCloudProcess, type CloudProcess, type Run } from './processes.js';
import { StandInGateway } from './stand-in-gateway.js';

const ADMIN_KEY = 'cli-rollout-admin-0123456789abcdef';
const OPERATOR_KEY = 'cli-rollout-operator-0123456789abcdef';
const ROLLOUT = 'fw-0.2.0';
const FAILURE = 'the new firmware gave no hello within 30 s; 0.1.0 runs again';

/** One JSON document on stdout, whatever the exit code. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the shape it expects
function json<T>(run: Run): T {
  return JSON.parse(run.stdout) as T;
}

async function until(condition: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('coupler drives a firmware rollout against a running cloud and stand-in gateways', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-cli-rollout-'));
  let cloud: CloudProcess | undefined;
  // gw-2 is the one whose new firmware fails: it reports rolled_back for 0.2.0.
  const gateways = ['gw-1', 'gw-2', 'gw-3'].map(
    (id) => new StandInGateway(id, ({ version }) => (id === 'gw-2' && version === '0.2.0' ? { outcome: 'rolled_back', reason: FAILURE } : { outcome: 'done', reason: '' })),
  );
  const sha = { v1: '', v2: '' };
  const { cli, ok } = cliAgainst(() => cloud, join(dir, 'home'), OPERATOR_KEY);

  beforeAll(async () => {
    cloud = await startCloudProcess(join(dir, 'cloud'), [
      { name: 'ops-admin', role: 'admin', key: ADMIN_KEY },
      { name: 'ops-operator', role: 'operator', key: OPERATOR_KEY },
    ]);
    const caPem = readFileSync(cloud.caFile);
    await Promise.all(
      gateways.map(async (gateway) => {
        const token = json<{ token: string }>(await ok(['tokens', 'create', gateway.gatewayId, '--json'], ADMIN_KEY)).token;
        const labels = json<{ tags: string[] }>(await ok(['gateways', 'label', gateway.gatewayId, '--train', 'ICE-4', '--tag', 'pilot', '--tag', 'arduino', '--json']));
        expect(labels.tags).toEqual(['arduino', 'pilot']); // kept sorted
        await gateway.connect({ apiAddress: `127.0.0.1:${cloud?.apiPort ?? 0}`, syncAddress: `127.0.0.1:${cloud?.syncPort ?? 0}`, caPem, bootstrapToken: token });
      }),
    );
    await until(() => gateways.every((g) => g.received.length > 0), 'every stand-in got its desired state after hello');
  }, 60_000);

  afterAll(() => {
    for (const gateway of gateways) gateway.stop();
    cloud?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads two firmware artifacts and prints their signed manifests', async () => {
    for (const [name, version] of [['v1', '0.1.0'], ['v2', '0.2.0']] as const) {
      const content = Buffer.from(`:00000001FF\n# doors firmware ${version}\n`);
      const file = join(dir, `doors-${version}.hex`);
      writeFileSync(file, content);
      const manifest = json<{ kind: string; version: string; sizeBytes: number; sha256: string; signature: string; wasStored: boolean }>(
        await ok(['artifacts', 'upload', file, '--kind', 'arduino-firmware', '--version', version, '--json']),
      );
      expect(manifest).toMatchObject({ kind: 'arduino-firmware', version, sizeBytes: content.length, sha256: createHash('sha256').update(content).digest('hex'), wasStored: false });
      expect(Buffer.from(manifest.signature, 'base64')).toHaveLength(64);
      sha[name] = manifest.sha256;
    }
    const shown = json<{ version: string }>(await ok(['artifacts', 'show', sha.v1, '--json']));
    expect(shown.version).toBe('0.1.0');
  });

  it('sets the fleet layer to 0.1.0 for every Arduino, and each gateway gets it and reports done', async () => {
    const layer = json<{ scope: string; firmwareSha256: Record<string, string>; revision: number }>(await ok(['desired', 'set', 'fleet', '--firmware', `*=${sha.v1}`, '--json']));
    expect(layer).toMatchObject({ scope: 'fleet', firmwareSha256: { '*': sha.v1 } });
    expect(layer.revision).toBeGreaterThan(0);
    await until(() => gateways.every((g) => g.latest()?.version === '0.1.0'), 'every stand-in targets 0.1.0');
    const state = json<{ firmware: { deviceId: string; version: string }[]; applied: { items: { outcome: string }[] } | null }>(await ok(['desired', 'show', 'gw-1', '--json']));
    expect(state.firmware).toEqual([expect.objectContaining({ deviceId: '*', version: '0.1.0', sha256: sha.v1, rolloutId: '' })]);
  });

  it('creates a rollout in three waves; `rollouts wait` shows wave by wave how gw-2 paused it and exits 3', async () => {
    const created = json<RolloutJson>(
      await ok(['rollouts', 'create', ROLLOUT, '--artifact', sha.v2, '--previous', sha.v1, '--tag', 'pilot', '--waves', '0.3,0.6,1', '--threshold', '0.2', '--wave-timeout', '30', '--json']),
    );
    expect(created).toMatchObject({ rolloutId: ROLLOUT, targetVersion: '0.2.0', previousVersion: '0.1.0', currentWave: 1 });
    expect(created.waves.map((w) => w.gateways.map((g) => g.gatewayId))).toEqual([['gw-1'], ['gw-2'], ['gw-3']]);

    const wait = await cli(['rollouts', 'wait', ROLLOUT, '--timeout', '20']);
    expect(wait.code).toBe(3);
    expect(wait.stderr).toBe(`coupler: rollout ${ROLLOUT} is paused: wave 2: 1 of 1 gateways failed (100% > threshold 20%)\n`);
    expect(wait.stdout).toMatch(/^rollout fw-0\.2\.0: paused, wave 2 of 3, 0\.1\.0 -> 0\.2\.0$/m);
    expect(wait.stdout).toContain('wave 1 of 3: 1 gateways, 1 done\n');
    expect(wait.stdout).toContain('wave 2 of 3: 1 gateways, 1 rolled_back\n');
    expect(wait.stdout).toMatch(/^2 +gw-2 +rolled_back +the new firmware gave no hello/m);

    const shown = json<RolloutJson>(await ok(['rollouts', 'show', ROLLOUT, '--json']));
    expect(shown).toMatchObject({ status: 'paused', currentWave: 2, pausedReason: expect.stringContaining('wave 2') as unknown });
    expect(shown.waves[1]?.gateways).toEqual([{ gatewayId: 'gw-2', outcome: 'rolled_back', reason: FAILURE }]);
    expect(shown.waves[2]?.startedMs).toBe(0);
    expect(gateways[2]?.latest()?.version).toBe('0.1.0'); // the third wave was never asked
    // What the CouplerRolloutPaused alert reads.
    const metrics = await (await fetch(`http://127.0.0.1:${cloud?.httpPort ?? 0}/metrics`)).text();
    expect(metrics).toContain(`coupler_cloud_rollout_paused{rollout_id="${ROLLOUT}"} 1`);
    expect(metrics).toContain('coupler_cloud_rollouts{status="paused"} 1');
  });

  it('resumes: the last wave runs, and `rollouts wait --json` exits 0 with the completed rollout', async () => {
    const resumed = json<RolloutJson>(await ok(['rollouts', 'resume', ROLLOUT, '--json']));
    expect(resumed.history.some((event) => event.endsWith('resumed by an operator'))).toBe(true);
    const wait = await ok(['rollouts', 'wait', ROLLOUT, '--timeout', '20', '--json']);
    const done = json<RolloutJson>(wait);
    expect(done.status).toBe('completed');
    expect(done.waves.map((w) => w.gateways.map((g) => g.outcome))).toEqual([['done'], ['rolled_back'], ['done']]);
    expect(gateways.map((g) => g.latest())).toEqual(gateways.map(() => ({ version: '0.2.0', rolloutId: ROLLOUT })));
  });

  it('rolls back: every gateway the rollout reached targets 0.1.0 again', async () => {
    const rolledBack = json<RolloutJson>(await ok(['rollouts', 'rollback', ROLLOUT, '--json']));
    expect(rolledBack.status).toBe('rolled_back');
    await until(() => gateways.every((g) => g.latest()?.version === '0.1.0'), 'every stand-in targets 0.1.0 again');
    expect(gateways.map((g) => g.latest()?.rolloutId)).toEqual([ROLLOUT, ROLLOUT, ROLLOUT]);
    const state = json<{ firmware: { version: string; rolloutId: string }[] }>(await ok(['desired', 'show', 'gw-2', '--json']));
    expect(state.firmware).toEqual([expect.objectContaining({ version: '0.1.0', rolloutId: ROLLOUT })]);
    const wait = await cli(['rollouts', 'wait', ROLLOUT, '--json']);
    expect(wait.code).toBe(5);
    expect(json<RolloutJson>(wait).status).toBe('rolled_back');
  });

  it('resumes an interrupted upload from where the cloud stands, and knows a stored artifact', async () => {
    const content = Buffer.alloc(600 * 1024, 7);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const file = join(dir, 'flows-2.0.0.json');
    writeFileSync(file, content);
    // An earlier upload that got 100 KiB through before its link dropped.
    const proto = loadCouplerProto();
    const artifacts = new proto.ota.ArtifactService(`127.0.0.1:${cloud?.apiPort ?? 0}`, credentials.createSsl(readFileSync(cloud?.caFile ?? '')));
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${OPERATOR_KEY}`);
    const settle = (resolve: () => void, reject: (err: Error) => void) => (err: Error | null) => {
      if (err) reject(err);
      else resolve();
    };
    const options = () => ({ deadline: Date.now() + 10_000 });
    await new Promise<void>((resolve, reject) => {
      artifacts.beginUpload({ kind: 'ARTIFACT_KIND_FLOWS_BUNDLE', version: '2.0.0', sizeBytes: content.length, sha256 }, metadata, options(), settle(resolve, reject));
    });
    await new Promise<void>((resolve, reject) => {
      artifacts.uploadChunk({ uploadId: sha256, offset: 0, data: content.subarray(0, 100 * 1024) }, metadata, options(), settle(resolve, reject));
    });
    artifacts.close();

    const resumed = await ok(['artifacts', 'upload', file, '--kind', 'flows-bundle', '--version', '2.0.0', '--json']);
    expect(json(resumed)).toMatchObject({ sha256, sizeBytes: content.length, resumedFromBytes: 100 * 1024, wasStored: false });
    const again = await ok(['artifacts', 'upload', file, '--kind', 'flows-bundle', '--version', '2.0.0']);
    expect(again.stdout).toContain(`${file} was stored already\n`);
  });

  it('names the bad flag in usage errors, and exits 2 before calling the cloud', async () => {
    const cases: [string[], string][] = [
      [['rollouts', 'create', 'r2', '--artifact', sha.v2, '--tag', 'pilot', '--threshold', '1.5'], '--threshold must be a fraction >= 0 and < 1 (got "1.5")'],
      [['rollouts', 'create', 'r2', '--artifact', sha.v2, '--tag', 'pilot', '--waves', '0.5,0.2,1'], '--waves must be rising fractions in (0, 1] ending at 1'],
      [['rollouts', 'create', 'r2', '--artifact', sha.v2], 'select gateways with --gateway, --tag or --group'],
      [['rollouts', 'show', ROLLOUT, '--ttl', '5'], '--ttl is not an option of "rollouts show"'],
      [['rollouts', 'wait', ROLLOUT, '--timeout', 'soon'], '--timeout must be a whole number (got "soon")'],
      [['artifacts', 'upload', join(dir, 'missing.hex'), '--kind', 'firmware', '--version', '1.0.0'], '--kind must be arduino-firmware, flows-bundle or gateway-config (got "firmware")'],
      [['desired', 'set', 'fleet', '--firmware', sha.v1], '--firmware must be device=sha256'],
      [['gateways', 'list', '--tag', 'a', '--tag', 'b'], '--tag is given 2 times; give it once'],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args);
      expect({ code: run.code, stderr: run.stderr }, args.join(' ')).toEqual({ code: 2, stderr: expect.stringContaining(message) as unknown });
    }
  });
});
