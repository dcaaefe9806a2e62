import { status, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { verifyManifest } from '@coupler/kit';
import type { DesiredState__Output, OtaRollout__Output } from '@coupler/proto';
import { openSync, syncClient, type SyncStream } from '../helpers/grpc-client.js';
import { OPERATOR, startFleetCloud, VIEWER } from '../helpers/fleet-cloud.js';
import { unaryCall } from '../helpers/ota-grpc.js';

async function hello(address: string, gatewayId: string): Promise<{ stream: SyncStream; first: DesiredState__Output }> {
  const stream = openSync(syncClient(address));
  stream.send({ hello: { gatewayId, softwareVersion: 'test', firstUnacknowledgedSequence: 0 } });
  return { stream, first: await nextDesired(stream) };
}

const nextDesired = (stream: SyncStream): Promise<DesiredState__Output> => stream.nextDesired();

const firmwareOf = (state: DesiredState__Output) => state.firmware.map((f) => [f.deviceId, f.artifact?.artifact?.version, f.artifact?.rolloutId]);

describe('desired state: layers composed per gateway, pushed over the sync stream, reported back', () => {
  it('sends each gateway its composed state after hello and pushes a change at once; the artifact carries a valid signature', async () => {
    const cloud = await startFleetCloud();
    const v1 = await cloud.upload('ARTIFACT_KIND_ARDUINO_FIRMWARE', '0.1.0', Buffer.from(':00000001FF\n# 0.1.0'));
    const v2 = await cloud.upload('ARTIFACT_KIND_ARDUINO_FIRMWARE', '0.2.0', Buffer.from(':00000001FF\n# 0.2.0'));
    const flows = await cloud.upload('ARTIFACT_KIND_FLOWS_BUNDLE', '1.0.0', Buffer.from('{"flows":[]}'));
    await unaryCall(cloud.fleet, 'SetGatewayLabels', { gatewayId: 'gw-b', labels: { train: 'ICE-1', line: 'S1' } }, OPERATOR);
    const set = await unaryCall<{ revision: number; scope: string }>(cloud.fleet, 'SetDesiredState', { layer: { scope: 'fleet', firmwareSha256: { '*': v1 }, flowsSha256: flows } }, OPERATOR);
    expect(set).toMatchObject({ scope: 'fleet', revision: 1 });

    const a = await hello(cloud.grpcAddress, 'gw-a');
    const b = await hello(cloud.grpcAddress, 'gw-b');
    expect(firmwareOf(a.first)).toEqual([['', '0.1.0', '']]);
    expect(a.first.flows?.artifact?.sha256).toBe(flows);
    const signed = a.first.firmware[0]?.artifact?.artifact;
    if (!signed) throw new Error('no firmware artifact');
    const publicKey = cloud.cloud.artifactPublicKeyPem() ?? '';
    expect(verifyManifest({ kind: 'arduino-firmware', version: signed.version, size: signed.sizeBytes, sha256: signed.sha256, created: signed.created }, signed.signature, publicKey)).toMatchObject({ isValid: true });

    // The train's layer overrides the fleet for the doors Arduino of gw-b only.
    await unaryCall(cloud.fleet, 'SetDesiredState', { layer: { scope: 'train:ICE-1', firmwareSha256: { doors: v2 } } }, OPERATOR);
    const pushed = await nextDesired(b.stream);
    expect(firmwareOf(pushed)).toEqual([['', '0.1.0', ''], ['doors', '0.2.0', '']]);
    expect(pushed.revision).not.toBe(b.first.revision);
    // gw-a is not on that train: nothing changed for it, so nothing was pushed (its next message is the next change).
    await unaryCall(cloud.fleet, 'SetDesiredState', { layer: { scope: 'gateway:gw-a', firmwareSha256: { '*': v2 } } }, OPERATOR);
    expect(firmwareOf(await nextDesired(a.stream))).toEqual([['', '0.2.0', '']]);

    // A gateway that reconnects gets its state again, even though it did not change.
    await a.stream.end();
    const again = await hello(cloud.grpcAddress, 'gw-a');
    expect(firmwareOf(again.first)).toEqual([['', '0.2.0', '']]);
  });

  it('composes the gateway configuration item (a later layer wins) and shows it in the layer', async () => {
    const cloud = await startFleetCloud();
    const fleetConfig = await cloud.upload('ARTIFACT_KIND_GATEWAY_CONFIG', '1.0.0', Buffer.from('modbus:\n  devices: []\n'));
    const trainConfig = await cloud.upload('ARTIFACT_KIND_GATEWAY_CONFIG', '1.1.0', Buffer.from('modbus:\n  devices: [{ id: m1, profile: eastron-sdm630, host: 10.0.0.9 }]\n'));
    const firmware = await cloud.upload('ARTIFACT_KIND_ARDUINO_FIRMWARE', '0.1.0', Buffer.from(':00000001FF\n# 0.1.0'));
    await unaryCall(cloud.fleet, 'SetGatewayLabels', { gatewayId: 'gw-b', labels: { train: 'ICE-1' } }, OPERATOR);
    const set = await unaryCall<{ configSha256: string; templates: string[] }>(cloud.fleet, 'SetDesiredState', { layer: { scope: 'fleet', configSha256: fleetConfig } }, OPERATOR);
    expect(set).toMatchObject({ configSha256: fleetConfig, templates: [] });
    const a = await hello(cloud.grpcAddress, 'gw-a');
    const b = await hello(cloud.grpcAddress, 'gw-b');
    expect([a.first.config?.artifact?.sha256, a.first.config?.artifact?.kind]).toEqual([fleetConfig, 'ARTIFACT_KIND_GATEWAY_CONFIG']);
    expect(b.first.config?.artifact?.version).toBe('1.0.0');

    await unaryCall(cloud.fleet, 'SetDesiredState', { layer: { scope: 'train:ICE-1', configSha256: trainConfig } }, OPERATOR);
    const pushed = await nextDesired(b.stream);
    expect(pushed.config?.artifact?.sha256).toBe(trainConfig);
    const signed = pushed.config?.artifact;
    if (!signed) throw new Error('no config artifact');
    expect(verifyManifest({ kind: 'gateway-config', version: signed.version, size: signed.sizeBytes, sha256: signed.sha256, created: signed.created }, signed.signature, cloud.cloud.artifactPublicKeyPem() ?? '')).toMatchObject({ isValid: true });
    const layer = await unaryCall<{ configSha256: string }>(cloud.fleet, 'GetDesiredStateLayer', { scope: 'train:ICE-1' }, VIEWER);
    expect(layer.configSha256).toBe(trainConfig);
    // gw-a is on no train: the change concerns it not; its next message is the next change of the fleet layer.
    await unaryCall(cloud.fleet, 'SetDesiredState', { layer: { scope: 'fleet' } }, OPERATOR);
    expect((await nextDesired(a.stream)).config).toBeNull();

    const refused = await unaryCall(cloud.fleet, 'SetDesiredState', { layer: { scope: 'fleet', configSha256: firmware } }, OPERATOR).catch((err: unknown) => err as ServiceError);
    expect([status[(refused as ServiceError).code], (refused as ServiceError).details]).toEqual(['INVALID_ARGUMENT', `layer.configSha256: artifact ${firmware} is arduino-firmware 0.1.0, not gateway-config`]);
  });

  it('refuses bad layers naming the field, and a viewer cannot change the desired state', async () => {
    const cloud = await startFleetCloud();
    const flows = await cloud.upload('ARTIFACT_KIND_FLOWS_BUNDLE', '1.0.0', Buffer.from('{"flows":[]}'));
    const refusal = (layer: object, auth = OPERATOR) =>
      unaryCall(cloud.fleet, 'SetDesiredState', { layer }, auth).then(
        () => undefined,
        (err: unknown) => [status[(err as ServiceError).code], (err as ServiceError).details],
      );
    expect(await refusal({ scope: 'car:3' })).toEqual(['INVALID_ARGUMENT', 'layer.scope must be "fleet", "line:<line>", "train:<train>" or "gateway:<gateway id>" (got "car:3")']);
    expect(await refusal({ scope: 'fleet', firmwareSha256: { '*': 'f'.repeat(64) } })).toEqual(['INVALID_ARGUMENT', `layer.firmwareSha256["*"]: there is no artifact ${'f'.repeat(64)}`]);
    expect(await refusal({ scope: 'fleet', firmwareSha256: { '*': flows } })).toEqual(['INVALID_ARGUMENT', `layer.firmwareSha256["*"]: artifact ${flows} is flows-bundle 1.0.0, not arduino-firmware`]);
    expect(await refusal({ scope: 'fleet', flowsSha256: flows }, VIEWER)).toEqual(['PERMISSION_DENIED', expect.stringContaining('operator') as unknown]);
    const layer = await unaryCall<{ revision: number }>(cloud.fleet, 'GetDesiredStateLayer', { scope: 'fleet' }, VIEWER);
    expect(layer.revision).toBe(0); // nothing was stored
    const audit = await cloud.cloud.identityStore.listAuditEvents({ limit: 100 });
    expect(audit.filter((e) => e.action === 'SetDesiredState').map((e) => e.outcome)).toEqual(['failed', 'failed', 'failed', 'denied']);
  });

  it('drives a rollout: the wave sets the target with its rollout id, and the gateway report completes it', async () => {
    const cloud = await startFleetCloud();
    const v1 = await cloud.upload('ARTIFACT_KIND_ARDUINO_FIRMWARE', '0.1.0', Buffer.from(':00000001FF\n# 0.1.0'));
    const v2 = await cloud.upload('ARTIFACT_KIND_ARDUINO_FIRMWARE', '0.2.0', Buffer.from(':00000001FF\n# 0.2.0'));
    const config = await cloud.upload('ARTIFACT_KIND_GATEWAY_CONFIG', '1.0.0', Buffer.from('modbus:\n  devices: []\n'));
    await unaryCall(cloud.fleet, 'SetGatewayLabels', { gatewayId: 'gw-1', labels: { train: 'ICE-1', tags: ['arduino'] } }, OPERATOR);
    await unaryCall(cloud.fleet, 'SetDesiredState', { layer: { scope: 'gateway:gw-1', configSha256: config } }, OPERATOR);
    const { stream } = await hello(cloud.grpcAddress, 'gw-1');
    await unaryCall(cloud.rollouts, 'CreateRollout', {
      rolloutId: 'fw-0.2.0', artifactSha256: v2, previousSha256: v1, selector: { tags: ['arduino'] }, waveFractions: [1], failureThreshold: 0, waveTimeoutSeconds: 60,
    }, OPERATOR);
    const target = await nextDesired(stream);
    expect(firmwareOf(target)).toEqual([['', '0.2.0', 'fw-0.2.0']]);
    // The wave changes the firmware of the gateway's own layer and keeps the rest of it.
    expect(target.config?.artifact?.sha256).toBe(config);
    const item = { kind: 'firmware', deviceId: 'doors', targetVersion: '0.2.0', targetSha256: v2, rolloutId: 'fw-0.2.0', step: 'await_hello', reason: '', updatedMs: Date.now() };
    stream.send({ applied: { revision: target.revision, items: [{ ...item, outcome: 'in_progress' }] } });
    stream.send({ applied: { revision: target.revision, items: [{ ...item, outcome: 'done' }] } });
    const get = () => unaryCall<OtaRollout__Output>(cloud.rollouts, 'GetRollout', { rolloutId: 'fw-0.2.0' }, VIEWER);
    await expect.poll(async () => (await get()).status, { timeout: 5_000 }).toBe('ROLLOUT_STATUS_COMPLETED');
    expect((await get()).waves[0]?.gateways).toEqual([{ gatewayId: 'gw-1', outcome: 'GATEWAY_OUTCOME_DONE', reason: '' }]);
    const view = await unaryCall<{ applied: { items: { outcome: string }[] } }>(cloud.fleet, 'GetGatewayDesiredState', { gatewayId: 'gw-1' }, VIEWER);
    expect(view.applied.items.map((i) => i.outcome)).toEqual(['done']);
    const audit = await cloud.cloud.identityStore.listAuditEvents({ limit: 100 });
    expect(audit.filter((e) => e.action === 'CreateRollout').map((e) => [e.actor, e.outcome])).toEqual([['key:test-operator', 'ok']]);
  });

  it('targets a gateway by id that carries no labels, as soon as it has connected', async () => {
    const cloud = await startFleetCloud();
    const v2 = await cloud.upload('ARTIFACT_KIND_ARDUINO_FIRMWARE', '0.2.0', Buffer.from(':00000001FF\n# 0.2.0'));
    const { stream } = await hello(cloud.grpcAddress, 'gw-plain');
    const created = await unaryCall<OtaRollout__Output>(cloud.rollouts, 'CreateRollout', { rolloutId: 'by-id', artifactSha256: v2, selector: { gatewayIds: ['gw-plain'] }, waveFractions: [1], failureThreshold: 0, waveTimeoutSeconds: 60 }, OPERATOR);
    expect(created.waves.map((w) => w.gateways.map((g) => g.gatewayId))).toEqual([['gw-plain']]);
    expect(firmwareOf(await nextDesired(stream))).toEqual([['', '0.2.0', 'by-id']]);
  });
});
