import { Server, ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import type { Registry } from 'prom-client';
import { CouplerError, type Logger } from '@coupler/kit';
import { loadCouplerProto } from '@coupler/proto';
import { CloudErrorCode } from '../errors.js';
import { createSyncHandler, type SyncCall } from './handlers/index.js';
import { enrolmentHandlers, identityAdminHandlers } from './handlers/identity.js';
import { fleetHandlers } from './handlers/fleet.js';
import { artifactHandlers, type ArtifactApi } from './handlers/ota-artifacts.js';
import { rolloutHandlers, type RolloutApi } from './handlers/ota-rollouts.js';
import { telemetryHandlers } from './handlers/telemetry.js';
import { templateHandlers, type TemplateApi } from './handlers/templates.js';
import { RateLimiter } from '../lib/index.js';
import { bindServer, shutdownServer } from './listener.js';
import { syncServiceReadingPlainBatches } from './sync-deserialize.js';
import { createCallCounter } from './metrics.js';
import type { DesiredState } from '@coupler/proto';
import type { BatchIngest, DesiredStateSync, FleetApi, GatewayReports, IdentityApi, TelemetryGrpcApi } from './ports.js';

export interface GrpcTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface GrpcServerOptions {
  host: string;
  /** The sync port (mTLS); 0 picks a free port; grpcServer.port() tells which. */
  port: number;
  /** The API port (server TLS): enrolment, identity admin, fleet, telemetry. Unused when insecure: one port serves all. */
  apiHost: string;
  apiPort: number;
  maxBatchRecords: number;
  /** Calls per peer address on the API port: a burst, then perSecond. */
  apiRateLimit: { burst: number; perSecond: number };
  /** Absent: both ports are plaintext and sync accepts any gateway id (grpc.tls: insecure). */
  tls: GrpcTls | undefined;
}

export interface GrpcServerDeps {
  ingest: BatchIngest;
  reports: GatewayReports;
  identity: IdentityApi;
  fleet: FleetApi;
  telemetry: TelemetryGrpcApi;
  templates: TemplateApi;
  /** Absent: no desired state on the sync stream. */
  desired?: DesiredStateSync | undefined;
  /**
   * OTA: `operators` on the API port (API keys), `gateways` on the sync port (client
   * certificates, checked per call; read only). Absent: no ArtifactService and RolloutService.
   */
  ota?: { operators: ArtifactApi; gateways: ArtifactApi; rollouts: RolloutApi } | undefined;
  logger: Logger;
  /** Where coupler_cloud_grpc_calls_total goes; no call metrics without one. */
  registry?: Registry | undefined;
}

export interface GrpcServer {
  start(): Promise<void>;
  stop(): Promise<void>;
  isServing(): boolean;
  /** The bound sync port; 0 before start. */
  port(): number;
  /** The bound API port; 0 before start. */
  apiPort(): number;
  /** Ends the gateway's open sync streams with UNAUTHENTICATED; returns how many. */
  endGatewayStreams(gatewayId: string): number;
  /** Writes the desired state to the gateway's open sync streams; returns how many. */
  pushDesired(gatewayId: string, desired: DesiredState): number;
  /** Gateways with a sync stream open here. */
  connectedGateways(): string[];
}

const SYNC_SERVICE_NAME = 'coupler.sync.v1.SyncService';
const API_SERVICE_NAMES = [
  'coupler.identity.v1.EnrolmentService',
  'coupler.identity.v1.IdentityAdminService',
  'coupler.fleet.v1.FleetService',
  'coupler.fleet.v1.TemplateService',
  'coupler.telemetry.v1.TelemetryService',
];
const OTA_SERVICE_NAMES = ['coupler.ota.v1.ArtifactService', 'coupler.ota.v1.RolloutService'];
const MIB = 1024 * 1024;
const STOP_LIMIT_MS = 5000;

// Gateways on mobile links send keepalive pings, also between batches; allow one every 10 s
// instead of grpc-js' default 5 min, so the server does not answer them with GOAWAY.
const SYNC_SERVER_OPTIONS = {
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 10_000,
  'grpc.max_receive_message_length': 16 * MIB,
} as const;
const API_SERVER_OPTIONS = { 'grpc.max_receive_message_length': 1 * MIB } as const;

interface Running {
  sync: Server;
  api: Server;
  health: HealthImplementation[];
  handler: ReturnType<typeof createSyncHandler>;
}

function withHealthAndReflection(server: Server, services: readonly string[]): HealthImplementation {
  const names = ['', ...services];
  const health = new HealthImplementation(Object.fromEntries(names.map((s) => [s, 'NOT_SERVING'])));
  health.addToServer(server);
  new ReflectionService(loadCouplerProto().packageDefinition).addToServer(server);
  return health;
}

function setHealth(health: HealthImplementation, services: readonly string[], status: 'SERVING' | 'NOT_SERVING'): void {
  for (const service of ['', ...services]) health.setStatus(service, status);
}

/**
 * The gRPC API on two ports. Sync: SyncService, with mTLS when tls is given (a client
 * certificate from the fleet CA, checked per call against revocation). API: Enroll, the
 * identity admin RPCs and the fleet API, with server TLS only, since a gateway has no
 * certificate before it enrols. Both serve the standard health service and reflection.
 */
export function createGrpcServer(options: GrpcServerOptions, deps: GrpcServerDeps): GrpcServer {
  const logger = deps.logger;
  const recordCall = deps.registry ? createCallCounter(deps.registry) : undefined;
  let running: Running | undefined;
  let ports = { sync: 0, api: 0 };
  let isServing = false;
  let servedBy: { sync: string[]; api: string[] } = { sync: [], api: [] };

  const authorize = async (call: Pick<SyncCall, 'getAuthContext'>): Promise<string | undefined> => {
    if (!options.tls) return undefined;
    const der = call.getAuthContext().sslPeerCertificate?.raw;
    if (!der) throw new CouplerError(CloudErrorCode.credentialRevoked, 'the sync stream needs a client certificate');
    return deps.identity.gatewayOfCertificate(der);
  };

  return {
    async start() {
      if (running) return;
      const proto = loadCouplerProto();
      const tls = options.tls;
      const syncCredentials = tls
        ? ServerCredentials.createSsl(
            Buffer.from(tls.caPem),
            [{ private_key: Buffer.from(tls.keyPem), cert_chain: Buffer.from(tls.certPem) }],
            true,
          )
        : ServerCredentials.createInsecure();
      const apiCredentials = tls
        ? ServerCredentials.createSsl(null, [{ private_key: Buffer.from(tls.keyPem), cert_chain: Buffer.from(tls.certPem) }], false)
        : ServerCredentials.createInsecure();

      const sync = new Server(SYNC_SERVER_OPTIONS);
      const handler = createSyncHandler({
        maxBatchRecords: options.maxBatchRecords,
        ingest: deps.ingest,
        reports: deps.reports,
        desired: deps.desired,
        logger,
        authorize,
        recordCall,
      });
      const syncImplementation: UntypedServiceImplementation = {
        Sync: (call: SyncCall) => {
          handler.handle(call);
        },
      };
      sync.addService(syncServiceReadingPlainBatches(proto.sync.SyncService.service), syncImplementation);

      // Insecure (development): one plaintext port serves everything. mTLS: the API gets its own
      // port with server TLS only, as a gateway has no certificate before it enrols.
      const api = tls ? new Server(API_SERVER_OPTIONS) : sync;
      const apiContext = { logger, limiter: new RateLimiter(options.apiRateLimit), recordCall };
      api.addService(proto.identity.EnrolmentService.service, enrolmentHandlers(deps.identity, apiContext));
      api.addService(proto.identity.IdentityAdminService.service, identityAdminHandlers(deps.identity, apiContext));
      api.addService(proto.fleet.FleetService.service, fleetHandlers(deps.fleet, apiContext));
      api.addService(proto.fleet.TemplateService.service, templateHandlers(deps.templates, apiContext));
      api.addService(proto.telemetry.TelemetryService.service, telemetryHandlers(deps.telemetry, apiContext));
      const apiServices = deps.ota ? [...API_SERVICE_NAMES, ...OTA_SERVICE_NAMES] : API_SERVICE_NAMES;
      if (deps.ota) {
        api.addService(proto.ota.ArtifactService.service, artifactHandlers(deps.ota.operators, logger, apiContext));
        api.addService(proto.ota.RolloutService.service, rolloutHandlers(deps.ota.rollouts, logger, apiContext));
        // Gateways download artifacts where they sync, with the certificate the stream uses.
        if (tls) {
          const admit = async (call: Pick<SyncCall, 'getAuthContext'>) => {
            await authorize(call);
          };
          sync.addService(proto.ota.ArtifactService.service, artifactHandlers(deps.ota.gateways, logger, { admit, recordCall }));
        }
      }
      const syncServices = deps.ota && tls ? [SYNC_SERVICE_NAME, OTA_SERVICE_NAMES[0] ?? ''] : [SYNC_SERVICE_NAME];
      const syncHealth = withHealthAndReflection(sync, tls ? syncServices : [SYNC_SERVICE_NAME, ...apiServices]);
      const apiHealth = tls ? withHealthAndReflection(api, apiServices) : syncHealth;

      const syncPort = await bindServer(sync, `${options.host}:${options.port}`, syncCredentials);
      let apiPort = syncPort;
      if (api !== sync) {
        try {
          apiPort = await bindServer(api, `${options.apiHost}:${options.apiPort}`, apiCredentials);
        } catch (err) {
          sync.forceShutdown();
          throw err;
        }
      }
      running = { sync, api, health: [syncHealth, apiHealth], handler };
      ports = { sync: syncPort, api: apiPort };
      setHealth(syncHealth, syncServices, 'SERVING');
      setHealth(apiHealth, apiServices, 'SERVING');
      servedBy = { sync: syncServices, api: apiServices };
      isServing = true;
      logger.info(
        { host: options.host, port: syncPort, apiPort, tls: tls ? 'mtls' : 'insecure' },
        'grpc server listening',
      );
    },

    async stop() {
      const current = running;
      if (!current) return;
      running = undefined;
      isServing = false;
      const [syncHealth, apiHealth] = current.health;
      if (syncHealth) setHealth(syncHealth, servedBy.sync, 'NOT_SERVING');
      if (apiHealth) setHealth(apiHealth, servedBy.api, 'NOT_SERVING');
      // Open sync streams never end by themselves: finish their batches, then end them.
      const closed = await Promise.race([
        current.handler.closeAll().then(() => true),
        new Promise<false>((resolve) => setTimeout(() => { resolve(false); }, STOP_LIMIT_MS).unref()),
      ]);
      const servers = current.api === current.sync ? [current.sync] : [current.sync, current.api];
      const graceful = await Promise.all(servers.map((server) => shutdownServer(server, STOP_LIMIT_MS)));
      if (!closed || graceful.includes(false)) {
        logger.warn({ limitMs: STOP_LIMIT_MS }, 'grpc server did not stop in time; closed its connections');
      }
      ports = { sync: 0, api: 0 };
      logger.info('grpc server stopped');
    },

    isServing: () => isServing,
    port: () => ports.sync,
    apiPort: () => ports.api,
    pushDesired(gatewayId, desired) {
      return running?.handler.pushDesired(gatewayId, desired) ?? 0;
    },
    connectedGateways() {
      return running?.handler.connectedGateways() ?? [];
    },
    endGatewayStreams(gatewayId) {
      return (
        running?.handler.endGateway(
          gatewayId,
          new CouplerError(CloudErrorCode.credentialRevoked, `the credentials of gateway ${gatewayId} were revoked`),
        ) ?? 0
      );
    },
  };
}
