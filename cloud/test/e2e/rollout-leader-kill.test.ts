import { describe, expect, it, onTestFinished } from 'vitest';
import { join } from 'node:path';
import { hashSecret, sha256Hex, verifyContent, verifyManifest } from '@coupler/kit';
import { loadCouplerProto, type OtaRollout__Output } from '@coupler/proto';
import { loadOrCreateSigningKey } from '../../src/artifacts/index.js';
import { openSync, syncClient } from '../helpers/grpc-client.js';
import { clientOf, unaryCall } from '../helpers/ota-grpc.js';
import { createDatabase, startPostgres } from '../helpers/postgres.js';
import { tempDir, waitFor } from '../helpers/wait.js';
import { freePort, runTs, type RunningProcess } from './processes.js';

const OPERATOR_KEY = 'test-operator-key-0123456789abcdef';
const OPERATOR = `Bearer ${OPERATOR_KEY}`;
const proto = loadCouplerProto();

interface CloudProcess {
  process: RunningProcess;
  grpcAddress: string;
  httpUrl: string;
}

interface Artifact { version: string; sizeBytes: number; sha256: string; created: string; signature: Buffer }
interface UploadStatus { receivedBytes: number }

/** The real coupler-cloud entry with its own data folder: the processes share nothing but PostgreSQL. */
async function startCloudProcess(env: Record<string, string>): Promise<CloudProcess> {
  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const process = runTs('cloud/src/main.ts', [], {
    ...env,
    COUPLER_DATA_DIR: tempDir(),
    COUPLER_GRPC_PORT: String(grpcPort),
    COUPLER_GRPC_TLS: 'insecure',
    COUPLER_API_PORT: '0',
    COUPLER_HTTP_PORT: String(httpPort),
    COUPLER_LOG_LEVEL: 'info',
  });
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  await waitFor('the cloud process to be ready', async () => (await fetch(`${httpUrl}/readyz`).catch(() => undefined))?.ok === true, 30_000, 100);
  return { process, grpcAddress: `127.0.0.1:${grpcPort}`, httpUrl };
}

async function isLeading(cloud: CloudProcess): Promise<boolean> {
  return /^coupler_cloud_leader 1$/m.test(await (await fetch(`${cloud.httpUrl}/metrics`)).text());
}

describe('rollouts and artifacts in PostgreSQL, with two cloud processes and separate data folders', () => {
  it(
    'the survivor of a SIGKILLed leader lists the rollout as it was, carries it on, and serves the artifact and the cut upload',
    { timeout: 120_000 },
    async () => {
      const server = await startPostgres();
      onTestFinished(() => server.close());
      // Every process signs with the fleet's one key (identity.artifactSigningKeyFile).
      const keyFile = join(tempDir(), 'artifact-signing-key.pem');
      const { publicKeyPem } = loadOrCreateSigningKey(keyFile);
      const env = {
        COUPLER_IDENTITY_ARTIFACT_SIGNING_KEY_FILE: keyFile,
        COUPLER_STORE_KIND: 'postgres',
        COUPLER_STORE_POSTGRES_URL: await createDatabase(server.url),
        COUPLER_LEADER_INTERVAL_MS: '500',
        COUPLER_IDENTITY_API_KEYS: JSON.stringify([{ name: 'test-operator', role: 'operator', hash: await hashSecret(OPERATOR_KEY) }]),
      };
      const leader = await startCloudProcess(env);
      await waitFor('the first process to lead', () => isLeading(leader), 10_000, 100);
      const survivor = await startCloudProcess(env);
      expect(await isLeading(survivor)).toBe(false);

      // A firmware in three chunks, and a second upload cut after its first chunk.
      const content = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 13 + 5) % 256));
      const sha256 = sha256Hex(content);
      const onLeader = clientOf(proto.ota.ArtifactService, leader.grpcAddress);
      await unaryCall(onLeader, 'BeginUpload', { kind: 'ARTIFACT_KIND_ARDUINO_FIRMWARE', version: '0.2.0', sizeBytes: content.length, sha256 }, OPERATOR);
      for (let offset = 0; offset < content.length; offset += 100_000) {
        await unaryCall(onLeader, 'UploadChunk', { uploadId: sha256, offset, data: content.subarray(offset, offset + 100_000) }, OPERATOR);
      }
      const uploaded = await unaryCall<Artifact>(onLeader, 'CompleteUpload', { uploadId: sha256 }, OPERATOR);
      const cut = Buffer.from('# flows 1.1.0\n'.repeat(5_000));
      const cutSha256 = sha256Hex(cut);
      const cutDeclaration = { kind: 'ARTIFACT_KIND_ARDUINO_FIRMWARE', version: '0.3.0', sizeBytes: cut.length, sha256: cutSha256 };
      await unaryCall(onLeader, 'BeginUpload', cutDeclaration, OPERATOR);
      await unaryCall(onLeader, 'UploadChunk', { uploadId: cutSha256, offset: 0, data: cut.subarray(0, 40_000) }, OPERATOR);

      // Two stand-in gateways stream to the survivor; the leader hears of them through PostgreSQL.
      const fleet = clientOf(proto.fleet.FleetService, survivor.grpcAddress);
      const gateways = new Map(['gw-1', 'gw-2'].map((gatewayId) => [gatewayId, openSync(syncClient(survivor.grpcAddress))]));
      for (const [gatewayId, stream] of gateways) {
        stream.send({ hello: { gatewayId, softwareVersion: 'test', firstUnacknowledgedSequence: 0 } });
        expect((await stream.nextDesired()).firmware).toEqual([]);
        await unaryCall(fleet, 'SetGatewayLabels', { gatewayId, labels: { tags: ['doors'] } }, OPERATOR);
      }
      const report = async (gatewayId: string, outcome: 'done' | 'failed') => {
        const stream = gateways.get(gatewayId);
        const target = await stream?.nextDesired();
        expect(target?.firmware.map((f) => [f.artifact?.artifact?.sha256, f.artifact?.rolloutId])).toEqual([[sha256, 'doors-0.2.0']]);
        stream?.send({ applied: { revision: target?.revision ?? 0, items: [{ kind: 'firmware', deviceId: 'doors', targetVersion: '0.2.0', targetSha256: sha256, rolloutId: 'doors-0.2.0', outcome, step: 'await_hello', reason: outcome === 'failed' ? 'no hello' : '', updatedMs: Date.now() }] } });
      };

      // The canary fails, so the leader pauses the rollout; then the leader dies without a word.
      const rollouts = clientOf(proto.ota.RolloutService, leader.grpcAddress);
      await unaryCall(rollouts, 'CreateRollout', { rolloutId: 'doors-0.2.0', artifactSha256: sha256, selector: { tags: ['doors'] }, waveFractions: [0.5, 1], failureThreshold: 0, waveTimeoutSeconds: 600 }, OPERATOR);
      await report('gw-1', 'failed');
      const paused = await waitFor('the leader to pause the rollout', async () => {
        const rollout = await unaryCall<OtaRollout__Output>(rollouts, 'GetRollout', { rolloutId: 'doors-0.2.0' }, OPERATOR);
        return rollout.status === 'ROLLOUT_STATUS_PAUSED' && rollout;
      }, 10_000, 100);
      leader.process.child.kill('SIGKILL');
      await leader.process.exited;

      await waitFor('the survivor to lead', () => isLeading(survivor), 10_000, 100);
      const onSurvivor = clientOf(proto.ota.RolloutService, survivor.grpcAddress);
      const found = await waitFor('the survivor to list the rollout', () =>
        unaryCall<OtaRollout__Output>(onSurvivor, 'GetRollout', { rolloutId: 'doors-0.2.0' }, OPERATOR).catch(() => undefined), 10_000, 100);
      expect(found).toEqual(paused);
      expect(found.pausedReason).toBe('wave 1: 1 of 1 gateways failed (100% > threshold 0%)');

      // The operator accepts the canary's failure on the new leader: wave 2 reaches gw-2, whose report completes it.
      await unaryCall(onSurvivor, 'ResumeRollout', { rolloutId: 'doors-0.2.0' }, OPERATOR);
      await report('gw-2', 'done');
      const completed = await waitFor('the survivor to complete the rollout', async () => {
        const rollout = await unaryCall<OtaRollout__Output>(onSurvivor, 'GetRollout', { rolloutId: 'doors-0.2.0' }, OPERATOR);
        return rollout.status === 'ROLLOUT_STATUS_COMPLETED' && rollout;
      }, 10_000, 100);
      expect(completed.history.slice(-4).map((line) => line.replace(/^\S+ /, ''))).toEqual([
        'resumed by an operator', 'wave 2 of 2 started: 1 gateways', 'wave 2 finished: 1 of 1 gateways updated', 'completed',
      ]);

      // The survivor serves the artifact as the dead leader signed it, in chunks as a gateway reads it.
      const artifacts = clientOf(proto.ota.ArtifactService, survivor.grpcAddress);
      expect(await unaryCall<Artifact>(artifacts, 'GetArtifact', { sha256 }, OPERATOR)).toEqual(uploaded);
      const chunks: Buffer[] = [];
      for (let offset = 0; offset < content.length; offset += 65_536) {
        chunks.push((await unaryCall<{ data: Buffer }>(artifacts, 'ReadChunk', { sha256, offset, maxBytes: 65_536 }, OPERATOR)).data);
      }
      expect(verifyContent(Buffer.concat(chunks), { kind: 'arduino-firmware', version: '0.2.0', size: content.length, sha256, created: uploaded.created })).toEqual({ isValid: true });

      // The upload cut with the leader resumes on the survivor from the bytes the leader stored.
      const resumed = await unaryCall<UploadStatus>(artifacts, 'BeginUpload', cutDeclaration, OPERATOR);
      expect(resumed.receivedBytes).toBe(40_000);
      await unaryCall(artifacts, 'UploadChunk', { uploadId: cutSha256, offset: 40_000, data: cut.subarray(40_000) }, OPERATOR);
      const completedUpload = await unaryCall<Artifact>(artifacts, 'CompleteUpload', { uploadId: cutSha256 }, OPERATOR);
      expect(completedUpload).toMatchObject({ sha256: cutSha256, sizeBytes: cut.length });
      // Signed by either process, both verify with the fleet's public key.
      for (const [signed, version] of [[uploaded, '0.2.0'], [completedUpload, '0.3.0']] as const) {
        const manifest = { kind: 'arduino-firmware' as const, version, size: signed.sizeBytes, sha256: signed.sha256, created: signed.created };
        expect(verifyManifest(manifest, signed.signature, publicKeyPem)).toEqual({ isValid: true });
      }
    },
  );
});
