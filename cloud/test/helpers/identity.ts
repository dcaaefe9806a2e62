import {
  credentials,
  Metadata,
  type ChannelCredentials,
  type ServiceError,
} from '@grpc/grpc-js';
import { onTestFinished } from 'vitest';
import { hashSecret } from '@coupler/kit';
import {
  loadCouplerProto,
  type EnrolmentServiceClient,
  type FleetServiceClient,
  type IdentityAdminServiceClient,
} from '@coupler/proto';
import { startCloud, type RunningCloud } from './start-cloud.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
export const VIEWER_KEY = 'test-viewer-key-0123456789abcdef';

export interface SecureCloud extends RunningCloud {
  /** host:port of the API port (server TLS): Enroll, identity admin, fleet. */
  apiAddress: string;
  caPem: string;
  enrolment: EnrolmentServiceClient;
  /** Admin and fleet clients; calls carry the key given to `bearer`. */
  admin: IdentityAdminServiceClient;
  fleet: FleetServiceClient;
}

/** A cloud with grpc.tls: mtls and two configured API keys (admin, viewer). */
export async function startSecureCloud(env: Record<string, string> = {}): Promise<SecureCloud> {
  const apiKeys = [
    { name: 'test-admin', role: 'admin', hash: await hashSecret(ADMIN_KEY) },
    { name: 'test-viewer', role: 'viewer', hash: await hashSecret(VIEWER_KEY) },
  ];
  const running = await startCloud({
    env: {
      COUPLER_GRPC_TLS: 'mtls',
      COUPLER_API_PORT: '0',
      COUPLER_IDENTITY_API_KEYS: JSON.stringify(apiKeys),
      ...env,
    },
  });
  const caPem = running.cloud.caCertificatePem();
  if (caPem === undefined) throw new Error('the cloud has no CA after start');
  const apiAddress = `127.0.0.1:${running.cloud.apiPort()}`;
  const tls = credentials.createSsl(Buffer.from(caPem));
  const proto = loadCouplerProto();
  const enrolment = new proto.identity.EnrolmentService(apiAddress, tls);
  const admin = new proto.identity.IdentityAdminService(apiAddress, tls);
  const fleet = new proto.fleet.FleetService(apiAddress, tls);
  onTestFinished(() => {
    for (const client of [enrolment, admin, fleet]) client.close();
  });
  return { ...running, apiAddress, caPem, enrolment, admin, fleet };
}

/** Metadata carrying `authorization: Bearer <key>`, or none. */
export function bearer(key: string | undefined): Metadata {
  const metadata = new Metadata();
  if (key !== undefined) metadata.set('authorization', `Bearer ${key}`);
  return metadata;
}

const DEADLINE_MS = 10_000;

/** Call options with a deadline, as every unary call should carry. */
export function soon(): { deadline: number } {
  return { deadline: Date.now() + DEADLINE_MS };
}

export interface UnaryResult<Res> {
  response?: Res;
  error?: ServiceError;
}

/** Runs a unary call and resolves with its response or its error (never rejects). */
export function result<Res>(start: (callback: (err: ServiceError | null, response?: Res) => void) => void): Promise<UnaryResult<Res>> {
  return new Promise((resolve) => {
    start((error, response) => {
      resolve(error ? { error } : response === undefined ? {} : { response });
    });
  });
}

/** mTLS credentials for a sync client holding this key and certificate. */
export function gatewayCredentials(caPem: string, keyPem: string, certPem: string): ChannelCredentials {
  return credentials.createSsl(Buffer.from(caPem), Buffer.from(keyPem), Buffer.from(certPem));
}
