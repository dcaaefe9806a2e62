import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, hashSecret, sha256Hex } from '@coupler/kit';
import { loadCouplerProto, type OtaRollout__Output } from '@coupler/proto';
import { ArtifactStore, fileArtifactBlobs, loadOrCreateSigningKey } from '../../src/artifacts/index.js';
import { loadCloudConfig } from '../../src/config/index.js';
import { fileRolloutRepository, RolloutController } from '../../src/rollouts/index.js';
import { createCloud } from '../../src/service.js';
import { clientOf, unaryCall } from '../helpers/ota-grpc.js';
import { createDatabase, startPostgres, type RunningPostgres } from '../helpers/postgres.js';
import { startCloud } from '../helpers/start-cloud.js';
import { tempDir, waitFor } from '../helpers/wait.js';

const OPERATOR_KEY = 'test-operator-key-0123456789abcdef';
const OPERATOR = `Bearer ${OPERATOR_KEY}`;
const proto = loadCouplerProto();
const logger = createLogger({ name: 'test', level: 'silent' });
const firmware = Buffer.from(':00000001FF\n# 0.2.0\n'.repeat(1_000));
const cut = Buffer.from('# flows 0.3.0\n'.repeat(1_000));

let server: RunningPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server.close();
});

/** What an earlier version (rollouts and artifacts as files) left in its data folder. */
async function earlierDataFolder(): Promise<{ dataDir: string; sha256: string; cutSha256: string }> {
  const dataDir = tempDir();
  const artifacts = new ArtifactStore(fileArtifactBlobs(join(dataDir, 'artifacts')), loadOrCreateSigningKey(join(dataDir, 'identity', 'artifact-signing-key.pem')), Date.now);
  const sha256 = sha256Hex(firmware);
  await artifacts.beginUpload({ kind: 'arduino-firmware', version: '0.2.0', size: firmware.length, sha256 });
  await artifacts.appendChunk(sha256, 0, firmware);
  await artifacts.complete(sha256);
  const cutSha256 = sha256Hex(cut);
  await artifacts.beginUpload({ kind: 'flows-bundle', version: '0.3.0', size: cut.length, sha256: cutSha256 });
  await artifacts.appendChunk(cutSha256, 0, cut.subarray(0, 5_000));
  const controller = new RolloutController({
    desired: { setTarget: () => undefined },
    repository: fileRolloutRepository(join(dataDir, 'rollouts')),
    timers: { setTimeout: () => 0, clearTimeout: () => undefined },
    now: Date.now,
    logger,
  });
  await controller.create({ rolloutId: 'old', target: { kind: 'arduino-firmware', version: '0.2.0', sha256 }, gatewayIds: ['gw-1', 'gw-2'], waveFractions: [0.5, 1], failureThreshold: 0, waveTimeoutMs: 600_000 });
  await controller.report('old', 'gw-1', 'done');
  return { dataDir, sha256, cutSha256 };
}

describe('a cloud on PostgreSQL finding rollouts and artifacts an earlier version kept as files', () => {
  it('imports them once, moves the folders aside, and carries on with them', async () => {
    const { dataDir, sha256, cutSha256 } = await earlierDataFolder();
    const env = {
      COUPLER_STORE_KIND: 'postgres',
      COUPLER_STORE_POSTGRES_URL: await createDatabase(server.url),
      COUPLER_LEADER_INTERVAL_MS: '500',
      COUPLER_IDENTITY_API_KEYS: JSON.stringify([{ name: 'test-operator', role: 'operator', hash: await hashSecret(OPERATOR_KEY) }]),
    };
    const cloud = await startCloud({ dataDir, env });
    await waitFor('the cloud to lead', () => cloud.cloud.isLeader(), 10_000);

    const rollouts = clientOf(proto.ota.RolloutService, cloud.grpcAddress);
    const rollout = await waitFor('the imported rollout to be listed', () =>
      unaryCall<OtaRollout__Output>(rollouts, 'GetRollout', { rolloutId: 'old' }, OPERATOR).catch(() => undefined), 10_000, 100);
    expect(rollout).toMatchObject({ status: 'ROLLOUT_STATUS_RUNNING', currentWave: 2 }); // wave 2 of 2 (the wire counts from 1)
    const artifacts = clientOf(proto.ota.ArtifactService, cloud.grpcAddress);
    const chunk = await unaryCall<{ data: Buffer }>(artifacts, 'ReadChunk', { sha256, offset: 0, maxBytes: firmware.length }, OPERATOR);
    expect(chunk.data.equals(firmware)).toBe(true);
    const declaration = { kind: 'ARTIFACT_KIND_FLOWS_BUNDLE', version: '0.3.0', sizeBytes: cut.length, sha256: cutSha256 };
    expect(await unaryCall(artifacts, 'BeginUpload', declaration, OPERATOR)).toMatchObject({ receivedBytes: 5_000 });

    const moved = readdirSync(dataDir).filter((name) => name.includes('.imported-')).map((name) => name.replace(/-\d+$/, ''));
    expect(moved.sort()).toEqual(['artifacts.imported', 'rollouts.imported']);
    expect(existsSync(join(dataDir, 'rollouts'))).toBe(false);
    expect(existsSync(join(dataDir, 'artifacts'))).toBe(false);

    // Started again, it finds nothing left to import, and the store still has it all.
    await cloud.close();
    const again = await startCloud({ dataDir, env });
    await waitFor('the cloud to lead again', () => again.cloud.isLeader(), 10_000);
    const listed = await waitFor('the rollout after the restart', () =>
      unaryCall<OtaRollout__Output>(clientOf(proto.ota.RolloutService, again.grpcAddress), 'GetRollout', { rolloutId: 'old' }, OPERATOR).catch(() => undefined), 10_000, 100);
    expect(listed.history).toEqual(rollout.history);
    expect(readdirSync(dataDir).filter((name) => name.includes('.imported-'))).toHaveLength(2);
  }, 60_000);

  it('refuses to start when a file cannot be imported, naming the folder and leaving the files as they were', async () => {
    const { dataDir } = await earlierDataFolder();
    writeFileSync(join(dataDir, 'rollouts', 'broken.json'), '{"plan": ');
    const config = loadCloudConfig({
      env: { COUPLER_DATA_DIR: dataDir, COUPLER_GRPC_PORT: '0', COUPLER_GRPC_TLS: 'insecure', COUPLER_HTTP_PORT: '0', COUPLER_STORE_KIND: 'postgres', COUPLER_STORE_POSTGRES_URL: await createDatabase(server.url) },
    });
    const cloud = createCloud(config, { logger });
    await expect(cloud.start()).rejects.toMatchObject({
      code: 'CPL_ERR_STORE_OPEN',
      message: expect.stringMatching(new RegExp(`^cannot import ${join(dataDir, 'rollouts')}, kept as files by an earlier version, into the shared store: .*JSON.*; the files are left as they were: fix the cause and start again$`)) as unknown,
    });
    expect(readdirSync(join(dataDir, 'rollouts')).sort()).toEqual(['broken.json', 'old.json']);
  }, 60_000);
});
