import { sha256Hex, type Logger } from '@coupler/kit';
import type { Template } from '@coupler/proto';
import { MAX_CHUNK_BYTES, type ArtifactStore } from './artifacts/index.js';
import type { DesiredStates } from './desired/index.js';
import type { TemplateApi } from './grpc/index.js';
import type { Identity } from './identity/index.js';
import type { TemplateRecord } from './records/index.js';
import { layerMessage } from './service-ota.js';
import type { IdentityStore } from './store/index.js';
import { createTemplates } from './templates/index.js';

/**
 * Part of the composition root (service.ts): templates kept in the identity store, applied
 * through the desired state with gateway-config artifacts the fleet key signs; every change
 * checked and audited by identity.
 */
export function createTemplateApi(deps: { identity: Identity; identityStore: IdentityStore; artifacts: ArtifactStore; desired: DesiredStates; logger: Logger }): TemplateApi {
  const { identity, artifacts, desired } = deps;
  const templates = createTemplates(
    {
      store: deps.identityStore,
      artifact: async (sha256) => (await artifacts.get(sha256))?.manifest,
      readArtifact: (sha256) => readWhole(artifacts, sha256),
      storeConfig: (content, version) => storeArtifact(artifacts, content, version),
      changeLayer: (scope, change) => desired.changeLayer(scope, change),
      now: Date.now,
    },
    deps.logger.child({ module: 'templates' }),
  );
  return {
    create: (auth, input) =>
      identity.change('CreateTemplate', auth, {
        target: `template:${input.name}@${input.version}`,
        run: async (principal) => {
          const record = await templates.create(input, principal.actor);
          return { result: templateMessage(record), before: null, after: { ...summary(record), documentationBytes: record.documentation.length, deviceProfileBytes: record.deviceProfile.length } };
        },
      }),
    get: async (auth, name, version) => {
      await identity.authorizeRead('GetTemplate', auth);
      return templateMessage(await templates.get(name, version));
    },
    list: async (auth, name) => {
      await identity.authorizeRead('GetTemplate', auth);
      return (await templates.list(name)).map((record) => ({ ...templateMessage(record), documentation: '', deviceProfile: '' }));
    },
    apply: (auth, request) =>
      identity.change('ApplyTemplate', auth, {
        target: `desired:${request.scope}`,
        run: async () => {
          const { template, before, after } = await templates.apply({
            name: request.name,
            version: request.version,
            scope: request.scope,
            arduinoDeviceIds: request.arduinoDeviceIds,
            modbusDevices: request.modbusDevices,
          });
          const label = `${template.name}@${template.version}`;
          return { result: { layer: layerMessage(after), template: label }, before: before ?? null, after: { template: label, layer: after } };
        },
      }),
  };
}

const summary = (record: TemplateRecord) => ({
  name: record.name,
  version: record.version,
  firmwareSha256: record.firmwareSha256 ?? '',
  flowsSha256: record.flowsSha256 ?? '',
});

function templateMessage(record: TemplateRecord): Template {
  return { ...summary(record), documentation: record.documentation, deviceProfile: record.deviceProfile, createdMs: record.createdAtMs, createdBy: record.createdBy };
}

/** A built configuration is small (the profile is limited to 64 KiB): one chunk, one call. */
async function storeArtifact(artifacts: ArtifactStore, content: Buffer, version: string): Promise<string> {
  const sha256 = sha256Hex(content);
  if (await artifacts.get(sha256)) return sha256;
  const { receivedBytes } = await artifacts.beginUpload({ kind: 'gateway-config', version, size: content.length, sha256 });
  for (let offset = receivedBytes; offset < content.length; offset += MAX_CHUNK_BYTES) {
    await artifacts.appendChunk(sha256, offset, content.subarray(offset, offset + MAX_CHUNK_BYTES));
  }
  await artifacts.complete(sha256);
  return sha256;
}

async function readWhole(artifacts: ArtifactStore, sha256: string): Promise<Buffer> {
  const size = (await artifacts.get(sha256))?.manifest.size ?? 0;
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < size; offset += MAX_CHUNK_BYTES) chunks.push(await artifacts.readChunk(sha256, offset, MAX_CHUNK_BYTES));
  return Buffer.concat(chunks);
}
