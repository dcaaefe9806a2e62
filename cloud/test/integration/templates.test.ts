import { status, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { verifyContent } from '@coupler/kit';
import { type ApplyTemplateResponse__Output, type ArtifactChunk__Output, type DesiredState__Output, type ListTemplatesResponse__Output, type Template__Output } from '@coupler/proto';
import { openSync, syncClient } from '../helpers/grpc-client.js';
import { OPERATOR, startFleetCloud, VIEWER } from '../helpers/fleet-cloud.js';
import { unaryCall } from '../helpers/ota-grpc.js';

const PROFILE = [
  'name: eastron-sdm630',
  'source: Eastron SDM630 Modbus Protocol v2.0',
  'registers:',
  '  - { name: voltageL1, address: 0x0000, register: input, data_type: float32, unit: V }',
  '  - { name: importActiveEnergy, address: 0x0048, register: input, data_type: float32, unit: kWh }',
].join('\n');

async function startTemplateCloud() {
  const cloud = await startFleetCloud();
  const download = async (sha256: string): Promise<Buffer> =>
    (await unaryCall<ArtifactChunk__Output>(cloud.artifacts, 'ReadChunk', { sha256, offset: 0, maxBytes: 1024 * 1024 }, VIEWER)).data;
  return { ...cloud, download };
}

const refusal = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (err: unknown) => [status[(err as ServiceError).code], (err as ServiceError).details],
  );

describe('templates: versioned bundles applied through the desired state', () => {
  it('applies a template to a gateway: one layer change gives the gateway firmware, flows and a signed configuration with the profile', async () => {
    const cloud = await startTemplateCloud();
    const firmware = await cloud.upload('ARTIFACT_KIND_ARDUINO_FIRMWARE', '0.3.0', Buffer.from(':00000001FF\n# 0.3.0'));
    const flows = await cloud.upload('ARTIFACT_KIND_FLOWS_BUNDLE', '2.0.0', Buffer.from('{"flows":[]}'));
    const created = await unaryCall<Template__Output>(cloud.templates, 'CreateTemplate', {
      template: { name: 'sdm630-meter', version: '1.0.0', documentation: '# SDM630\n\nWire A/B to the RS-485 bus.', deviceProfile: PROFILE, firmwareSha256: firmware, flowsSha256: flows },
    }, OPERATOR);
    expect(created).toMatchObject({ name: 'sdm630-meter', version: '1.0.0', createdBy: 'key:test-operator', firmwareSha256: firmware, flowsSha256: flows });

    const stream = openSync(syncClient(cloud.grpcAddress));
    stream.send({ hello: { gatewayId: 'gw-1', softwareVersion: 'test', firstUnacknowledgedSequence: 0 } });
    const first: DesiredState__Output = await stream.nextDesired();
    expect([first.firmware, first.flows, first.config]).toEqual([[], null, null]);

    const applied = await unaryCall<ApplyTemplateResponse__Output>(cloud.templates, 'ApplyTemplate', {
      name: 'sdm630-meter',
      scope: 'gateway:gw-1',
      arduinoDeviceIds: ['doors'],
      modbusDevices: [{ deviceId: 'meter-1', host: '10.0.0.9', unitId: 2 }, { deviceId: 'meter-2', transport: 'rtu', bus: 'rs485-0' }],
    }, OPERATOR);
    expect(applied.template).toBe('sdm630-meter@1.0.0');
    expect(applied.layer).toMatchObject({ scope: 'gateway:gw-1', firmwareSha256: { doors: firmware }, flowsSha256: flows, templates: ['sdm630-meter@1.0.0'] });

    const pushed = await stream.nextDesired();
    expect(pushed.firmware.map((f) => [f.deviceId, f.artifact?.artifact?.sha256])).toEqual([['doors', firmware]]);
    expect(pushed.flows?.artifact?.sha256).toBe(flows);
    const config = pushed.config?.artifact;
    if (!config) throw new Error('no configuration in the desired state');
    expect([config.kind, config.version, config.sha256]).toEqual(['ARTIFACT_KIND_GATEWAY_CONFIG', '1.0.0', applied.layer?.configSha256]);
    // The gateway checks it like any artifact: the content against the signed manifest.
    const content = await cloud.download(config.sha256);
    const manifest = { kind: 'gateway-config' as const, version: config.version, size: config.sizeBytes, sha256: config.sha256, created: config.created };
    expect(verifyContent(content, manifest)).toMatchObject({ isValid: true });
    expect(parse(content.toString('utf8'))).toEqual({
      modbus: {
        profiles: { 'sdm630-meter': { ...(parse(PROFILE) as object), name: 'sdm630-meter' } },
        devices: [
          { id: 'meter-1', profile: 'sdm630-meter', transport: 'tcp', host: '10.0.0.9', unitId: 2 },
          { id: 'meter-2', profile: 'sdm630-meter', transport: 'rtu', bus: 'rs485-0' },
        ],
      },
    });
    const layer = await unaryCall<{ templates: string[]; configSha256: string }>(cloud.fleet, 'GetDesiredStateLayer', { scope: 'gateway:gw-1' }, VIEWER);
    expect(layer).toMatchObject({ templates: ['sdm630-meter@1.0.0'], configSha256: config.sha256 });
    await stream.end();
  });

  it('merges templates applied to one layer: each keeps its profile and devices, a newer version replaces its own', async () => {
    const cloud = await startTemplateCloud();
    const create = (name: string, version: string, register: string) =>
      unaryCall(cloud.templates, 'CreateTemplate', { template: { name, version, documentation: '', deviceProfile: `source: s\nregisters: [{ name: ${register}, address: 0, register: input }]` } }, OPERATOR);
    await create('meter-a', '1.0.0', 'voltage');
    await create('meter-a', '1.1.0', 'current');
    await create('meter-b', '1.0.0', 'power');
    const apply = (name: string, version: string, deviceId: string) =>
      unaryCall<ApplyTemplateResponse__Output>(cloud.templates, 'ApplyTemplate', { name, version, scope: 'train:ICE-1', modbusDevices: [{ deviceId, host: `${deviceId}.local` }] }, OPERATOR);
    await apply('meter-a', '1.0.0', 'm1');
    await apply('meter-b', '1.0.0', 'm2');
    const last = await apply('meter-a', '1.1.0', 'm1');
    expect(last.layer?.templates).toEqual(['meter-b@1.0.0', 'meter-a@1.1.0']);
    const config = parse((await cloud.download(last.layer?.configSha256 ?? '')).toString('utf8')) as { modbus: { profiles: Record<string, { registers: { name: string }[] }>; devices: { id: string; profile: string }[] } };
    expect(Object.entries(config.modbus.profiles).map(([name, profile]) => [name, profile.registers[0]?.name])).toEqual([['meter-a', 'current'], ['meter-b', 'power']]);
    expect(config.modbus.devices.map((d) => [d.id, d.profile])).toEqual([['m2', 'meter-b'], ['m1', 'meter-a']]);
  });

  it('keeps versions immutable, finds the latest, lists without the large fields, and refuses bad input naming the field', async () => {
    const cloud = await startTemplateCloud();
    const firmware = await cloud.upload('ARTIFACT_KIND_ARDUINO_FIRMWARE', '0.3.0', Buffer.from(':00000001FF\n# 0.3.0'));
    const create = (template: object, auth = OPERATOR) => unaryCall<Template__Output>(cloud.templates, 'CreateTemplate', { template }, auth);
    const base = { name: 'doors', documentation: 'Door controller', firmwareSha256: firmware };
    for (const version of ['1.0.0', '1.10.0', '1.2.0', '2.0.0-rc.1']) await create({ ...base, version });
    expect(await refusal(create({ ...base, version: '1.2.0', documentation: 'changed' }))).toEqual(['ALREADY_EXISTS', 'template doors@1.2.0 already exists; versions are immutable: create a new version']);
    expect((await unaryCall<Template__Output>(cloud.templates, 'GetTemplate', { name: 'doors', version: '1.2.0' }, VIEWER)).documentation).toBe('Door controller');
    expect((await unaryCall<Template__Output>(cloud.templates, 'GetTemplate', { name: 'doors' }, VIEWER)).version).toBe('1.10.0');
    expect(await refusal(unaryCall(cloud.templates, 'GetTemplate', { name: 'doors', version: '3.0.0' }, VIEWER))).toEqual(['NOT_FOUND', 'there is no template doors@3.0.0']);
    const listed = await unaryCall<ListTemplatesResponse__Output>(cloud.templates, 'ListTemplates', {}, VIEWER);
    expect(listed.templates.map((t) => [t.version, t.documentation])).toEqual([['1.0.0', ''], ['1.2.0', ''], ['1.10.0', ''], ['2.0.0-rc.1', '']]);

    expect(await refusal(create({ name: 'Bad Name', version: '1.0', deviceProfile: 'registers: []', flowsSha256: firmware }))).toEqual([
      'INVALID_ARGUMENT',
      'name: must be 1 to 64 of a-z 0-9 . _ -, starting with a letter or digit (got "Bad Name"); version: must be a semantic version like 1.2.3 or 1.2.3-rc.1, without build metadata (got "1.0"); ' +
        'deviceProfile.source: must say where the register map comes from (document, version) (got undefined); deviceProfile.registers: must be a list of at least one register (got []); ' +
        `flowsSha256: artifact ${firmware} is arduino-firmware 0.3.0, not flows-bundle`,
    ]);
    expect(await refusal(create({ name: 'x', version: '1.0.0', deviceProfile: 'source: s\nregisters: [{ name: v, address: 70000, register: analog }]' }))).toEqual([
      'INVALID_ARGUMENT',
      'deviceProfile.registers[0].address: must be a whole number from 0 to 65535 (got 70000); deviceProfile.registers[0].register: must be one of holding, input, coil, discrete (got "analog")',
    ]);
    const apply = (request: object) => refusal(unaryCall(cloud.templates, 'ApplyTemplate', { name: 'doors', version: '1.0.0', ...request }, OPERATOR));
    expect(await apply({ scope: 'car:3', arduinoDeviceIds: ['doors'] })).toEqual(['INVALID_ARGUMENT', 'layer.scope must be "fleet", "line:<line>", "train:<train>" or "gateway:<gateway id>" (got "car:3")']);
    expect(await apply({ scope: 'fleet', modbusDevices: [{ deviceId: 'm1', host: 'h' }] })).toEqual(['INVALID_ARGUMENT', 'modbusDevices: template doors@1.0.0 has no device profile']);
  });

  it('lets a viewer read templates but not create or apply them, and audits every attempt', async () => {
    const cloud = await startTemplateCloud();
    const flows = await cloud.upload('ARTIFACT_KIND_FLOWS_BUNDLE', '2.0.0', Buffer.from('{"flows":[]}'));
    const template = { name: 'energy-flows', version: '1.0.0', documentation: 'Flows', flowsSha256: flows };
    expect(await refusal(unaryCall(cloud.templates, 'CreateTemplate', { template }, VIEWER))).toEqual(['PERMISSION_DENIED', 'CreateTemplate needs role operator or above; this key has role viewer']);
    await unaryCall(cloud.templates, 'CreateTemplate', { template }, OPERATOR);
    expect(await refusal(unaryCall(cloud.templates, 'ApplyTemplate', { name: 'energy-flows', scope: 'fleet' }, VIEWER))).toEqual(['PERMISSION_DENIED', 'ApplyTemplate needs role operator or above; this key has role viewer']);
    expect((await unaryCall<Template__Output>(cloud.templates, 'GetTemplate', { name: 'energy-flows' }, VIEWER)).flowsSha256).toBe(flows);
    expect((await unaryCall<{ revision: number }>(cloud.fleet, 'GetDesiredStateLayer', { scope: 'fleet' }, VIEWER)).revision).toBe(0);
    await unaryCall(cloud.templates, 'ApplyTemplate', { name: 'energy-flows', scope: 'fleet' }, OPERATOR);
    const audit = await cloud.cloud.identityStore.listAuditEvents({ limit: 100 });
    expect(audit.map((e) => [e.actor, e.action, e.target, e.outcome])).toEqual([
      ['key:test-viewer', 'CreateTemplate', 'template:energy-flows@1.0.0', 'denied'],
      ['key:test-operator', 'CreateTemplate', 'template:energy-flows@1.0.0', 'ok'],
      ['key:test-viewer', 'ApplyTemplate', 'desired:fleet', 'denied'],
      ['key:test-operator', 'ApplyTemplate', 'desired:fleet', 'ok'],
    ]);
    expect(JSON.parse(audit[3]?.afterJson ?? '{}')).toMatchObject({ template: 'energy-flows@1.0.0', layer: { scope: 'fleet', flows: { sha256: flows }, templates: ['energy-flows@1.0.0'] } });
  });
});
