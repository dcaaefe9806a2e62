import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createLogger, sha256Hex } from '@coupler/kit';
import { loadCouplerProto } from '@coupler/proto';
import { ArtifactStore, loadOrCreateSigningKey } from '../../src/artifacts/index.js';
import { artifactHandlers } from '../../src/grpc/index.js';
import { createArtifactApi } from '../../src/ota-api.js';
import { fileRolloutRepository, RolloutController, type GatewayOutcome, type RolloutState } from '../../src/rollouts/index.js';
import { startServer } from '../helpers/ota-grpc.js';
import { REPO_ROOT } from './processes.js';

const FIRMWARE = join(REPO_ROOT, 'firmware');
const BUILD = join(FIRMWARE, 'build');
const EXECUTOR_PROCESS = join(REPO_ROOT, 'edge/test/helpers/ota-executor-process.ts');
const logger = createLogger({ name: 'test', level: 'silent' });

async function make(args: string[]): Promise<void> {
  // A fresh clone has no build folder yet, and flock needs one for its lock file.
  mkdirSync(BUILD, { recursive: true });
  try {
    await promisify(execFile)('flock', [join(BUILD, '.lock'), 'make', '-C', FIRMWARE, '-s', ...args], { timeout: 180_000 });
  } catch (err) {
    throw new Error(`make ${args.join(' ')} failed (the Debian packages of scripts/setup.sh: gcc-avr avr-libc arduino-core-avr simavr libsimavr-dev libelf-dev): ${(err as { stderr?: string }).stderr ?? ''}`, { cause: err });
  }
}

/** The real firmware with Optiboot on an emulated Uno (firmware/harness), reset when its pty opens. */
async function startEmulatedUno(): Promise<string> {
  const child = spawn(join(BUILD, 'avrsim'), ['-r', '-t', '300', '-b', join(BUILD, 'optiboot_atmega328.hex'), join(BUILD, 'coupler.elf')], { stdio: ['ignore', 'pipe', 'ignore'] });
  onTestFinished(() => { child.kill('SIGTERM'); });
  for await (const line of createInterface({ input: child.stdout })) {
    const match = /^PTY (\S+)$/.exec(line);
    if (match?.[1]) return match[1];
  }
  throw new Error('avrsim ended before it printed its PTY line');
}

describe('rollout from the cloud to an emulated Arduino: artifacts over gRPC, executor in its own process', () => {
  beforeAll(async () => {
    await make(['all', 'optiboot']);
    await make(['firmware-variant', 'NAME=v0.2.0', 'DEFINES=-DFIRMWARE_VERSION_MINOR=2']);
    await make(['firmware-variant', 'NAME=never-hello', 'DEFINES=-DFIRMWARE_VERSION_MINOR=3 -DCOUPLER_TEST_NEVER_HELLO']);
  }, 300_000);

  it('a canary wave updates the gateway to 0.2.0 and completes; a firmware that never says hello is rolled back on the device and pauses its rollout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coupler-ota-e2e-'));
    onTestFinished(() => { rmSync(dir, { recursive: true, force: true }); });
    const key = loadOrCreateSigningKey(join(dir, 'cloud', 'signing-key.pem'));
    const artifacts = new ArtifactStore(join(dir, 'cloud', 'artifacts'), key, Date.now);
    const upload = (file: string, version: string) => {
      const content = readFileSync(file);
      const sha256 = sha256Hex(content);
      artifacts.beginUpload({ kind: 'arduino-firmware', version, size: content.length, sha256 });
      artifacts.appendChunk(sha256, 0, content);
      const stored = artifacts.complete(sha256);
      return { manifest: stored.manifest, signatureBase64: stored.signature.toString('base64'), file };
    };
    const factory = upload(join(BUILD, 'coupler.hex'), '0.1.0');
    const v2 = upload(join(BUILD, 'variants/v0.2.0/coupler.hex'), '0.2.0');
    const silent = upload(join(BUILD, 'variants/never-hello/coupler.hex'), '0.3.0');
    const server = await startServer([[loadCouplerProto().ota.ArtifactService.service, artifactHandlers(createArtifactApi(artifacts, () => Promise.resolve()), logger)]]);

    const path = await startEmulatedUno();
    const gateway = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', EXECUTOR_PROCESS, JSON.stringify({
      mode: 'follow', cloudAddress: server.address, dataDir: join(dir, 'edge'), path, lockPath: join(dir, 'balena', 'updates.lock'),
      publicKeyPem: key.publicKeyPem, helloTimeoutMs: 8_000, factory: { ...factory, file: factory.file },
    })], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    onTestFinished(() => { gateway.kill('SIGKILL'); });

    // The desired state reaches the gateway on the sync stream in production; here the rollout's
    // desired-state port writes the artifact to the gateway process's stdin (not wired yet).
    const byVersion = new Map([factory, v2, silent].map((a) => [a.manifest.version, a]));
    const finished = new Map<string, (state: RolloutState) => void>();
    const controller = new RolloutController({
      desired: { setTarget: (_gatewayId, artifact) => gateway.stdin.write(`${JSON.stringify(byVersion.get(artifact.version))}\n`) },
      repository: fileRolloutRepository(join(dir, 'cloud', 'rollouts')),
      timers: { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => { clearTimeout(handle as NodeJS.Timeout); } },
      now: Date.now,
      logger,
      changed: (state) => { if (state.status !== 'running') finished.get(state.plan.rolloutId)?.(state); },
    });
    onTestFinished(() => controller.stop());
    let rolloutId = '';
    const outcomes: { outcome: string; reason?: string; targetVersion: string }[] = [];
    createInterface({ input: gateway.stdout }).on('line', (line) => {
      const report = JSON.parse(line) as { kind: string; outcome?: GatewayOutcome; reason?: string; targetVersion: string };
      if (report.kind !== 'outcome' || !report.outcome) return;
      outcomes.push({ outcome: report.outcome, targetVersion: report.targetVersion, ...(report.reason ? { reason: report.reason } : {}) });
      controller.report(rolloutId, 'gw-1', report.outcome, report.reason);
    });
    const run = (id: string, target: typeof v2, previous: typeof v2) => {
      rolloutId = id;
      const done = new Promise<RolloutState>((resolve) => finished.set(id, resolve));
      controller.create({
        rolloutId: id, target: { kind: 'arduino-firmware', version: target.manifest.version, sha256: target.manifest.sha256 },
        previous: { kind: 'arduino-firmware', version: previous.manifest.version, sha256: previous.manifest.sha256 },
        gatewayIds: ['gw-1'], waveFractions: [1], failureThreshold: 0, waveTimeoutMs: 60_000,
      });
      return done;
    };

    const first = await run('fw-0.2.0', v2, factory);
    expect(first).toMatchObject({ status: 'completed' });
    expect(outcomes).toEqual([{ outcome: 'done', targetVersion: '0.2.0' }]);

    const second = await run('fw-0.3.0', silent, v2);
    expect(second).toMatchObject({ status: 'paused', pausedReason: 'wave 1: 1 of 1 gateways failed (100% > threshold 0%)' });
    expect(second.waves[0]?.results['gw-1']).toEqual({ outcome: 'rolled_back', reason: 'version 0.3.0 did not say hello: no hello within 8000 ms of the flash' });
    expect(outcomes[1]).toEqual({ outcome: 'rolled_back', targetVersion: '0.3.0', reason: 'version 0.3.0 did not say hello: no hello within 8000 ms of the flash' });

    gateway.stdin.end();
    expect(await new Promise((resolve) => gateway.once('exit', resolve))).toBe(0);
  }, 240_000);
});
