import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, sha256Hex } from '@coupler/kit';
import { loadCouplerProto, type OtaRollout__Output } from '@coupler/proto';
import { openSync, syncClient } from '../helpers/grpc-client.js';
import { clientOf, unaryCall } from '../helpers/ota-grpc.js';
import { createDatabase, startPostgres, type RunningPostgres } from '../helpers/postgres.js';
import { startCloud } from '../helpers/start-cloud.js';
import { tempDir, waitFor } from '../helpers/wait.js';

const OPERATOR_KEY = 'test-operator-key-0123456789abcdef';
const OPERATOR = `Bearer ${OPERATOR_KEY}`;
const proto = loadCouplerProto();

let server: RunningPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server.close();
});

describe('a rollout with two cloud processes on one PostgreSQL', () => {
  it('reaches a gateway connected to the follower, and the report it sends there completes the rollout the leader runs', async () => {
    const url = await createDatabase(server.url);
    // One data folder for both, so they share the artifact-signing key; rollouts and artifacts are in PostgreSQL.
    const dataDir = tempDir();
    const env = {
      COUPLER_STORE_KIND: 'postgres',
      COUPLER_STORE_POSTGRES_URL: url,
      COUPLER_LEADER_INTERVAL_MS: '500',
      COUPLER_IDENTITY_API_KEYS: JSON.stringify([{ name: 'test-operator', role: 'operator', hash: await hashSecret(OPERATOR_KEY) }]),
    };
    const leader = await startCloud({ dataDir, env });
    await waitFor('the first process to lead', () => leader.cloud.isLeader(), 10_000);
    const follower = await startCloud({ dataDir, env });
    expect(follower.cloud.isLeader()).toBe(false);

    const content = Buffer.from(':00000001FF\n# 0.2.0');
    const sha256 = sha256Hex(content);
    const artifacts = clientOf(proto.ota.ArtifactService, leader.grpcAddress);
    await unaryCall(artifacts, 'BeginUpload', { kind: 'ARTIFACT_KIND_ARDUINO_FIRMWARE', version: '0.2.0', sizeBytes: content.length, sha256 }, OPERATOR);
    await unaryCall(artifacts, 'UploadChunk', { uploadId: sha256, offset: 0, data: content }, OPERATOR);
    await unaryCall(artifacts, 'CompleteUpload', { uploadId: sha256 }, OPERATOR);

    const gateway = openSync(syncClient(follower.grpcAddress));
    gateway.send({ hello: { gatewayId: 'gw-far', softwareVersion: 'test', firstUnacknowledgedSequence: 0 } });
    expect((await gateway.nextDesired()).firmware).toEqual([]);
    const fleet = clientOf(proto.fleet.FleetService, follower.grpcAddress);
    await unaryCall(fleet, 'SetGatewayLabels', { gatewayId: 'gw-far', labels: { tags: ['doors'] } }, OPERATOR);

    const rollouts = clientOf(proto.ota.RolloutService, leader.grpcAddress);
    await unaryCall(rollouts, 'CreateRollout', { rolloutId: 'far', artifactSha256: sha256, selector: { tags: ['doors'] }, waveFractions: [1], failureThreshold: 0, waveTimeoutSeconds: 60 }, OPERATOR);
    // The leader wrote the gateway's layer; the follower heard it through PostgreSQL and pushed it.
    const target = await gateway.nextDesired();
    expect(target.firmware.map((f) => [f.artifact?.artifact?.version, f.artifact?.rolloutId])).toEqual([['0.2.0', 'far']]);
    gateway.send({ applied: { revision: target.revision, items: [{ kind: 'firmware', deviceId: 'doors', targetVersion: '0.2.0', targetSha256: sha256, rolloutId: 'far', outcome: 'done', step: 'await_hello', reason: '', updatedMs: Date.now() }] } });

    const state = await waitFor('the leader to complete the rollout', async () => {
      const rollout = await unaryCall<OtaRollout__Output>(rollouts, 'GetRollout', { rolloutId: 'far' }, OPERATOR);
      return rollout.status === 'ROLLOUT_STATUS_COMPLETED' && rollout;
    }, 10_000, 100);
    expect(state.waves[0]?.gateways).toEqual([{ gatewayId: 'gw-far', outcome: 'GATEWAY_OUTCOME_DONE', reason: '' }]);
    // A rollout call to the follower is refused, naming why.
    await expect(unaryCall(clientOf(proto.ota.RolloutService, follower.grpcAddress), 'GetRollout', { rolloutId: 'far' }, OPERATOR)).rejects.toMatchObject({ details: expect.stringContaining('does not lead') as unknown });
  }, 60_000);
});
