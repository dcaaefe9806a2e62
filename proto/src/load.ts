import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';
import { MESSAGE_OUTPUT_OPTIONS } from './message-options.js';
import type { ProtoGrpcType as FleetProto } from './generated/fleet.js';
import type { ProtoGrpcType as IdentityProto } from './generated/identity.js';
import type { ProtoGrpcType as OtaProto } from './generated/ota.js';
import type { ProtoGrpcType as SyncProto } from './generated/sync.js';
import type { ProtoGrpcType as TelemetryProto } from './generated/telemetry.js';

// The package root, next to coupler/. Found by the package's name, not by this module's URL, so
// that the edge's one-file bundle, which holds this module, finds the installed .proto files too.
const PROTO_ROOT = dirname(createRequire(import.meta.url).resolve('@coupler/proto/package.json'));

export const PROTO_FILES = [
  'coupler/sync/v1/sync.proto',
  'coupler/identity/v1/identity.proto',
  'coupler/fleet/v1/fleet.proto',
  'coupler/ota/v1/ota.proto',
  'coupler/telemetry/v1/telemetry.proto',
] as const;

// The same options feed proto-loader-gen-types (scripts/gen-proto.mjs), so the generated
// types describe exactly the objects grpc-js hands us.
export const PROTO_LOAD_OPTIONS: Options = {
  keepCase: false,
  ...MESSAGE_OUTPUT_OPTIONS,
  includeDirs: [PROTO_ROOT],
};

export interface CouplerProto {
  /** One descriptor source for the server, reflection and the health service. */
  packageDefinition: PackageDefinition;
  sync: SyncProto['coupler']['sync']['v1'];
  identity: IdentityProto['coupler']['identity']['v1'];
  fleet: FleetProto['coupler']['fleet']['v1'];
  ota: OtaProto['coupler']['ota']['v1'];
  telemetry: TelemetryProto['coupler']['telemetry']['v1'];
}

let loaded: CouplerProto | undefined;

/** The parsed .proto files, read once per process: every caller gets the same definitions. */
export function loadCouplerProto(): CouplerProto {
  return (loaded ??= parseCouplerProto());
}

function parseCouplerProto(): CouplerProto {
  const packageDefinition = loadSync([...PROTO_FILES], PROTO_LOAD_OPTIONS);
  const grpcObject = loadPackageDefinition(packageDefinition) as unknown as SyncProto &
    IdentityProto &
    FleetProto &
    OtaProto &
    TelemetryProto;
  const coupler = grpcObject.coupler;
  return {
    packageDefinition,
    sync: coupler.sync.v1,
    identity: coupler.identity.v1,
    fleet: coupler.fleet.v1,
    ota: coupler.ota.v1,
    telemetry: coupler.telemetry.v1,
  };
}
