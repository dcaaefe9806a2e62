import { credentials, Metadata, status, type CallOptions, type ServiceError } from '@grpc/grpc-js';
import { loadCouplerProto, type ArtifactServiceClient, type FleetServiceClient, type IdentityAdminServiceClient, type RolloutServiceClient, type TemplateServiceClient } from '@coupler/proto';
import type { CliSettings } from './settings.js';

const DEADLINE_MS = 15_000;

/** The cloud refused or failed a call: exit code 1, with the status and its details. */
export class CallError extends Error {}

export interface Connection {
  admin: IdentityAdminServiceClient;
  fleet: FleetServiceClient;
  artifacts: ArtifactServiceClient;
  rollouts: RolloutServiceClient;
  templates: TemplateServiceClient;
  /** Runs one unary call with the API key and a deadline. */
  unary<Res>(start: (metadata: Metadata, options: CallOptions, callback: (err: ServiceError | null, response?: Res) => void) => void): Promise<Res>;
  close(): void;
}

export function connect(settings: CliSettings): Connection {
  const channel = settings.insecure ? credentials.createInsecure() : credentials.createSsl(settings.caPem ?? null);
  const proto = loadCouplerProto();
  const admin = new proto.identity.IdentityAdminService(settings.cloud, channel);
  const fleet = new proto.fleet.FleetService(settings.cloud, channel);
  const artifacts = new proto.ota.ArtifactService(settings.cloud, channel);
  const rollouts = new proto.ota.RolloutService(settings.cloud, channel);
  const templates = new proto.fleet.TemplateService(settings.cloud, channel);
  return {
    admin,
    fleet,
    artifacts,
    rollouts,
    templates,
    unary: (start) =>
      new Promise((resolve, reject) => {
        const metadata = new Metadata();
        metadata.set('authorization', `Bearer ${settings.apiKey}`);
        start(metadata, { deadline: Date.now() + DEADLINE_MS }, (err, response) => {
          if (err) reject(new CallError(`${status[err.code]}: ${err.details}`));
          else if (response === undefined) reject(new CallError('the cloud sent no answer'));
          else resolve(response);
        });
      }),
    close: () => {
      for (const client of [admin, fleet, artifacts, rollouts, templates]) client.close();
    },
  };
}
