import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger, sha256Hex } from '@coupler/kit';
import { loadCouplerProto, type OtaRollout__Output } from '@coupler/proto';
import { ArtifactStore, fileArtifactBlobs, loadOrCreateSigningKey } from '../../src/artifacts/index.js';
import { rolloutHandlers } from '../../src/grpc/index.js';
import { createRolloutApi } from '../../src/ota-api.js';
import { fileRolloutRepository, RolloutController, type FleetMember } from '../../src/rollouts/index.js';
import { clientOf, startServer, unaryCall } from '../helpers/ota-grpc.js';

const proto = loadCouplerProto();
const OPERATOR = 'Bearer operator-key';
const logger = createLogger({ name: 'test', level: 'silent' });

const fleet: FleetMember[] = Array.from({ length: 12 }, (_, i) => ({ gatewayId: `train-${String(i).padStart(2, '0')}`, tags: i < 10 ? ['arduino'] : [], groups: ['line-s1'] }));

async function upload(store: ArtifactStore, content: Buffer, version: string): Promise<string> {
  const sha256 = sha256Hex(content);
  await store.beginUpload({ kind: 'arduino-firmware', version, size: content.length, sha256 });
  await store.appendChunk(sha256, 0, content);
  await store.complete(sha256);
  return sha256;
}

async function startRollouts() {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-ota-rollouts-'));
  onTestFinished(() => { rmSync(dir, { recursive: true, force: true }); });
  const artifacts = new ArtifactStore(fileArtifactBlobs(join(dir, 'artifacts')), loadOrCreateSigningKey(join(dir, 'key.pem')), Date.now);
  const v1 = await upload(artifacts, Buffer.from(':00000001FF\n# 0.1.0'), '0.1.0');
  const v2 = await upload(artifacts, Buffer.from(':00000001FF\n# 0.2.0'), '0.2.0');
  const desired: string[] = [];
  const controller = new RolloutController({
    desired: { setTarget: (gatewayId, artifact) => desired.push(`${gatewayId}=${artifact.version}`) },
    repository: fileRolloutRepository(join(dir, 'rollouts')),
    timers: { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => { clearTimeout(handle as NodeJS.Timeout); } },
    now: Date.now,
    logger,
  });
  onTestFinished(() => controller.stop());
  const api = createRolloutApi({ controller, artifacts, fleet: () => Promise.resolve(fleet), authorize: () => Promise.resolve() });
  const server = await startServer([[proto.ota.RolloutService.service, rolloutHandlers(api, logger)]]);
  const client = clientOf(proto.ota.RolloutService, server.address);
  const call = (method: string, request: unknown) => unaryCall<OtaRollout__Output>(client, method, request, OPERATOR);
  return { controller, desired, call, v1, v2 };
}

const outcomes = (rollout: OtaRollout__Output) => rollout.waves.map((w) => w.gateways.map((g) => `${g.gatewayId}:${g.outcome.replace('GATEWAY_OUTCOME_', '')}`));

describe('coupler.ota.v1.RolloutService over gRPC (loopback) on the real controller', () => {
  it('shows progress per gateway, pauses when a wave fails, resumes and rolls back on request', async () => {
    const { controller, desired, call, v1, v2 } = await startRollouts();
    const created = await call('CreateRollout', {
      rolloutId: 'fw-0.2.0', artifactSha256: v2, previousSha256: v1, selector: { tags: ['arduino'], groups: ['line-s1'] },
      waveFractions: [0.1, 0.5, 1], failureThreshold: 0.25, waveTimeoutSeconds: 600,
    });
    expect(created).toMatchObject({ status: 'ROLLOUT_STATUS_RUNNING', targetVersion: '0.2.0', previousVersion: '0.1.0', currentWave: 1 });
    expect(created.waves.map((w) => w.gateways.length)).toEqual([1, 4, 5]); // 10 of 12 have the tag
    expect(desired).toEqual(['train-00=0.2.0']);

    // Gateways' OTA outcomes arrive as the sync stream will deliver them (not wired yet).
    await controller.report('fw-0.2.0', 'train-00', 'done');
    await controller.report('fw-0.2.0', 'train-01', 'rolled_back', 'version 0.2.0 did not say hello: no hello within 8000 ms of the flash');
    await controller.report('fw-0.2.0', 'train-02', 'rolled_back', 'version 0.2.0 did not say hello: no hello within 8000 ms of the flash');
    const paused = await call('GetRollout', { rolloutId: 'fw-0.2.0' });
    expect(paused).toMatchObject({ status: 'ROLLOUT_STATUS_PAUSED', currentWave: 2, pausedReason: 'wave 2: 2 of 4 gateways failed (50% > threshold 25%)' });
    expect(outcomes(paused)).toEqual([
      ['train-00:DONE'],
      ['train-01:ROLLED_BACK', 'train-02:ROLLED_BACK', 'train-03:PENDING', 'train-04:PENDING'],
      ['train-05:PENDING', 'train-06:PENDING', 'train-07:PENDING', 'train-08:PENDING', 'train-09:PENDING'],
    ]);
    expect(paused.waves[1]?.gateways[0]?.reason).toBe('version 0.2.0 did not say hello: no hello within 8000 ms of the flash');

    expect((await call('ResumeRollout', { rolloutId: 'fw-0.2.0' })).currentWave).toBe(3);
    expect(desired).toHaveLength(10);
    const rolledBack = await call('RollbackRollout', { rolloutId: 'fw-0.2.0' });
    expect(rolledBack.status).toBe('ROLLOUT_STATUS_ROLLED_BACK');
    expect(desired.slice(10)).toEqual(fleet.slice(0, 10).map((g) => `${g.gatewayId}=0.1.0`));
  });

  it('answers INVALID_ARGUMENT naming what is wrong with a rollout', async () => {
    const { call, v2 } = await startRollouts();
    await expect(call('CreateRollout', { rolloutId: 'x', artifactSha256: 'f'.repeat(64), selector: { tags: ['arduino'] }, failureThreshold: 0.2, waveTimeoutSeconds: 60 })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT, details: `artifactSha256: there is no artifact ${'f'.repeat(64)}`,
    });
    await expect(call('CreateRollout', { rolloutId: 'x', artifactSha256: v2, selector: {}, failureThreshold: 0.2, waveTimeoutSeconds: 60 })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT, details: 'selector: name gateway ids, tags or groups (an empty selector would target the whole fleet by accident)',
    });
    await expect(call('CreateRollout', { rolloutId: 'x', artifactSha256: v2, selector: { tags: ['arduino'] }, waveFractions: [0.5], failureThreshold: 0.2, waveTimeoutSeconds: 60 })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT, details: 'the rollout is invalid: waveFractions: the last wave must reach 1 (every gateway) (got [0.5])',
    });
    await expect(call('GetRollout', { rolloutId: 'nope' })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: 'there is no rollout nope' });
  });
});
