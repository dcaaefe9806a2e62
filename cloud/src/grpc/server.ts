import { Server, ServerCredentials, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { CouplerError, errorMessage, type Logger } from '@coupler/kit';
import { loadCouplerProto } from '@coupler/proto';
import { CloudErrorCode } from '../errors.js';
import { createSyncHandler, type SyncCall } from './handlers/index.js';
import type { BatchIngest, GatewayReports } from './ports.js';

export interface GrpcServerOptions {
  host: string;
  /** 0 picks a free port; grpcServer.port() tells which. */
  port: number;
  maxBatchRecords: number;
}

export interface GrpcServerDeps {
  ingest: BatchIngest;
  reports: GatewayReports;
  logger: Logger;
}

export interface GrpcServer {
  start(): Promise<void>;
  stop(): Promise<void>;
  isServing(): boolean;
  /** The bound port; 0 before start. */
  port(): number;
}

const SYNC_SERVICE_NAME = 'coupler.sync.v1.SyncService';
const HEALTH_SERVICES = ['', SYNC_SERVICE_NAME] as const;
const MIB = 1024 * 1024;
const STOP_LIMIT_MS = 5000;

// Gateways on mobile links send keepalive pings, also between batches; allow one every 10 s
// instead of grpc-js' default 5 min, so the server does not answer them with GOAWAY.
const SERVER_OPTIONS = {
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 10_000,
  'grpc.max_receive_message_length': 16 * MIB,
} as const;

/** The gRPC API: SyncService, the standard health service and server reflection. */
export function createGrpcServer(options: GrpcServerOptions, deps: GrpcServerDeps): GrpcServer {
  const logger = deps.logger;
  let server: Server | undefined;
  let health: HealthImplementation | undefined;
  let sync: ReturnType<typeof createSyncHandler> | undefined;
  let boundPort = 0;
  let isServing = false;

  return {
    async start() {
      if (server) return;
      const proto = loadCouplerProto();
      const next = new Server(SERVER_OPTIONS);
      const nextSync = createSyncHandler({
        maxBatchRecords: options.maxBatchRecords,
        ingest: deps.ingest,
        reports: deps.reports,
        logger,
      });
      const implementation: UntypedServiceImplementation = {
        Sync: (call: SyncCall) => {
          nextSync.handle(call);
        },
      };
      next.addService(proto.sync.SyncService.service, implementation);
      const nextHealth = new HealthImplementation(
        Object.fromEntries(HEALTH_SERVICES.map((s) => [s, 'NOT_SERVING'])),
      );
      nextHealth.addToServer(next);
      new ReflectionService(proto.packageDefinition).addToServer(next);
      const address = `${options.host}:${options.port}`;
      try {
        boundPort = await new Promise<number>((resolve, reject) => {
          next.bindAsync(address, ServerCredentials.createInsecure(), (err, port) => {
            if (err) reject(err);
            else resolve(port);
          });
        });
      } catch (err) {
        next.forceShutdown();
        throw new CouplerError(
          CloudErrorCode.listen,
          `cannot listen for gRPC on ${address}: ${errorMessage(err)}`,
          { cause: err },
        );
      }
      server = next;
      health = nextHealth;
      sync = nextSync;
      for (const service of HEALTH_SERVICES) nextHealth.setStatus(service, 'SERVING');
      isServing = true;
      logger.info({ host: options.host, port: boundPort }, 'grpc server listening');
    },

    async stop() {
      const current = server;
      if (!current) return;
      server = undefined;
      isServing = false;
      for (const service of HEALTH_SERVICES) health?.setStatus(service, 'NOT_SERVING');
      let timer: NodeJS.Timeout | undefined;
      const graceful = (async () => {
        // Open sync streams never end by themselves: finish their batches, then end them.
        await sync?.closeAll();
        await new Promise<void>((resolve) => {
          current.tryShutdown(() => {
            resolve();
          });
        });
        return true;
      })();
      const limit = new Promise<false>((resolve) => {
        timer = setTimeout(() => {
          resolve(false);
        }, STOP_LIMIT_MS);
      });
      const isGraceful = await Promise.race([graceful, limit]);
      clearTimeout(timer);
      if (!isGraceful) {
        logger.warn(
          { limitMs: STOP_LIMIT_MS },
          'grpc server did not stop in time; closing its connections',
        );
        current.forceShutdown();
      }
      health = undefined;
      sync = undefined;
      boundPort = 0;
      logger.info('grpc server stopped');
    },

    isServing: () => isServing,
    port: () => boundPort,
  };
}
