import { hashSecret, sha256Hex } from '@coupler/kit';
import { loadCouplerProto, type ArtifactServiceClient, type FleetServiceClient, type RolloutServiceClient, type TemplateServiceClient } from '@coupler/proto';
import { clientOf, unaryCall } from './ota-grpc.js';
import { startCloud, type RunningCloud } from './start-cloud.js';

const proto = loadCouplerProto();
export const OPERATOR_KEY = 'test-operator-key-0123456789abcdef';
export const VIEWER_KEY = 'test-viewer-key-0123456789abcdef';
export const OPERATOR = `Bearer ${OPERATOR_KEY}`;
export const VIEWER = `Bearer ${VIEWER_KEY}`;

export interface FleetCloud extends RunningCloud {
  artifacts: ArtifactServiceClient;
  fleet: FleetServiceClient;
  rollouts: RolloutServiceClient;
  templates: TemplateServiceClient;
  /** Uploads `content` as an operator would (one chunk) and resolves with its SHA-256. */
  upload: (kind: string, version: string, content: Buffer) => Promise<string>;
}

/**
 * A real cloud with an operator and a viewer API key and gRPC clients of its fleet, artifact and
 * rollout services. Insecure: one port serves sync and the API, so a test gateway needs no certificate.
 */
export async function startFleetCloud(): Promise<FleetCloud> {
  const apiKeys = [
    { name: 'test-operator', role: 'operator', hash: await hashSecret(OPERATOR_KEY) },
    { name: 'test-viewer', role: 'viewer', hash: await hashSecret(VIEWER_KEY) },
  ];
  const running = await startCloud({ env: { COUPLER_IDENTITY_API_KEYS: JSON.stringify(apiKeys) } });
  const artifacts = clientOf(proto.ota.ArtifactService, running.grpcAddress);
  const fleet = clientOf(proto.fleet.FleetService, running.grpcAddress);
  const rollouts = clientOf(proto.ota.RolloutService, running.grpcAddress);
  const templates = clientOf(proto.fleet.TemplateService, running.grpcAddress);
  const upload = async (kind: string, version: string, content: Buffer): Promise<string> => {
    const sha256 = sha256Hex(content);
    await unaryCall(artifacts, 'BeginUpload', { kind, version, sizeBytes: content.length, sha256 }, OPERATOR);
    await unaryCall(artifacts, 'UploadChunk', { uploadId: sha256, offset: 0, data: content }, OPERATOR);
    await unaryCall(artifacts, 'CompleteUpload', { uploadId: sha256 }, OPERATOR);
    return sha256;
  };
  return { ...running, artifacts, fleet, rollouts, templates, upload };
}
