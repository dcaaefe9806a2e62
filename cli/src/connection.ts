import { credentials, Metadata, status, type CallOptions, type ServiceError } from '@grpc/grpc-js';
import { loadCouplerProto, type FleetServiceClient, type IdentityAdminServiceClient } from '@coupler/proto';
import type { CliSettings } from './settings.js';

const DEADLINE_MS = 15_000;

/** The cloud refused or failed a call: exit code 1, with the status and its details. */
export class CallError extends Error {}

export interface Connection {
  admin: IdentityAdminServiceClient;
  fleet: FleetServiceClient;
  /** Runs one unary call with the API key and a deadline. */
  unary<Res>(start: (metadata: Metadata, options: CallOptions, callback: (err: ServiceError | null, response?: Res) => void) => void): Promise<Res>;
  close(): void;
}

export function connect(settings: CliSettings): Connection {
  const channel = settings.insecure ? credentials.createInsecure() : credentials.createSsl(settings.caPem ?? null);
  const proto = loadCouplerProto();
  const admin = new proto.identity.IdentityAdminService(settings.cloud, channel);
  const fleet = new proto.fleet.FleetService(settings.cloud, channel);
  return {
    admin,
    fleet,
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
      admin.close();
      fleet.close();
    },
  };
}
