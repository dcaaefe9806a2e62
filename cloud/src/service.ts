import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from 'prom-client';
import type { Logger } from '@coupler/kit';
import type { FrozenCloudConfig } from './config/index.js';
import { createDashboard, createHttpServer, type HttpServer } from './dashboard/index.js';
import { createGrpcServer, type GrpcServer, type GrpcTls } from './grpc/index.js';
import { createMetricsRegistry } from './observability/index.js';
import {
  createLmdbTelemetryStore,
  createPostgresTelemetryStore,
  LmdbIdentityStore,
  PostgresIdentityStore,
  type IdentityStore,
  type TelemetryStore,
} from './store/index.js';
import { createIngest } from './telemetry/index.js';
import { FleetState, listFleetGateways } from './fleet/index.js';
import { createIdentity, type Identity } from './identity/index.js';
import { fleetLabelsApi, fleetMembers, identityApi } from './service-fleet.js';
import { createOtaParts, type OtaParts } from './service-ota.js';
import { createOtaStorage } from './service-ota-storage.js';
import { createTemplateApi } from './service-templates.js';
import { createRetention, createTelemetryGrpcApi } from './telemetry-api.js';
import {
  LeaderElection,
  leaderPart,
  registerLeaderMetrics,
  SingletonWork,
  SoleLeadership,
  type Leadership,
} from './leader/index.js';

export interface CloudDeps {
  logger: Logger;
  /** Reported in coupler_build_info; defaults to the version of @coupler/cloud. */
  softwareVersion?: string;
}

export interface Cloud {
  /** Opens the store, then serves gRPC, then HTTP. On failure, stops what had started and rethrows. */
  start(): Promise<void>;
  /** Idempotent; closes in reverse order: HTTP, gRPC (finishing open batches), store. */
  stop(): Promise<void>;
  /** The bound gRPC port (useful with port 0); 0 when stopped. */
  grpcPort(): number;
  /** The bound HTTP port; 0 when stopped. */
  httpPort(): number;
  /** The bound API port (enrolment, identity admin, fleet); 0 when stopped. */
  apiPort(): number;
  readonly store: TelemetryStore;
  readonly identityStore: IdentityStore;
  /** PEM of the fleet CA, once started (absent with grpc.tls: insecure). */
  caCertificatePem(): string | undefined;
  /** PEM of the public key gateways check artifact signatures with (also in <dataDir>/identity/). */
  artifactPublicKeyPem(): string | undefined;
  /**
   * Work that runs only while this process leads (docs/decisions/0035); register before or
   * after start. With the embedded store the process always leads.
   */
  readonly singletons: SingletonWork;
  /** Whether this process leads its fleet now. */
  isLeader(): boolean;
}

/** The version of @coupler/cloud, found from src/ (tsx) and from dist/src/ (built) alike. */
function packageVersion(): string {
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === '@coupler/cloud' && pkg.version !== undefined) return pkg.version;
    } catch {
      // Not there from this layout (src/ vs dist/src/): try the next one.
    }
  }
  return '0.0.0-unknown';
}

/** The store the configuration chose: embedded LMDB (the default) or a fleet's PostgreSQL. */
function createStore(config: FrozenCloudConfig): TelemetryStore {
  switch (config.store.kind) {
    case 'lmdb':
      return createLmdbTelemetryStore({ dataDir: config.dataDir });
    case 'postgres':
      return createPostgresTelemetryStore({ connectionString: config.store.postgresUrl });
  }
}

function createIdentityStore(config: FrozenCloudConfig): IdentityStore {
  switch (config.store.kind) {
    case 'lmdb':
      return new LmdbIdentityStore({ dataDir: config.dataDir });
    case 'postgres':
      return new PostgresIdentityStore({ connectionString: config.store.postgresUrl });
  }
}

function buildIdentity(config: FrozenCloudConfig, store: IdentityStore, deps: { logger: Logger; endGatewayStreams: (id: string) => number }): Identity {
  const { identity } = config;
  return createIdentity(
    {
      dir: join(config.dataDir, 'identity'),
      caCertFile: identity.caCertFile,
      caKeyFile: identity.caKeyFile,
      serverCertFile: identity.serverCertFile,
      serverKeyFile: identity.serverKeyFile,
      serverNames: identity.serverNames,
      certificateValidDays: identity.certificateValidDays,
      apiKeys: identity.apiKeys,
    },
    { records: store, endGatewayStreams: deps.endGatewayStreams, logger: deps.logger },
  );
}

/**
 * PostgreSQL: every cloud process of the database contends for one advisory lock. LMDB: one
 * process owns the data folder, so it leads.
 */
function createLeadership(config: FrozenCloudConfig, logger: Logger): Leadership {
  switch (config.store.kind) {
    case 'lmdb':
      return new SoleLeadership({ logger });
    case 'postgres':
      return new LeaderElection(
        { connectionString: config.store.postgresUrl, intervalMs: config.leader.intervalMs },
        { logger },
      );
  }
}

interface Part {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The composition root of the cloud service: builds every capability and wires them through
 * the ports they declare. Building does nothing; start() does the work.
 */
export function createCloud(config: FrozenCloudConfig, deps: CloudDeps): Cloud {
  const logger = deps.logger;
  const store = createStore(config);
  const identityStore = createIdentityStore(config);
  const otaStorage = createOtaStorage(config, logger.child({ module: 'ota-store' }));
  const leaderLogger = logger.child({ module: 'leader' });
  const leadership = createLeadership(config, leaderLogger);
  // Singleton work is registered here, one line per job:
  //   singletons.register('<name>', { start: () => ..., stop: () => ... });
  const singletons = new SingletonWork({ logger: leaderLogger });
  let built: { parts: Part[]; grpc: GrpcServer; http: HttpServer; ota: OtaParts } | undefined;
  let caPem: string | undefined;
  let started: Part[] = [];
  let lifecycle = Promise.resolve();

  // Built on first start, not here: default metrics start an event-loop monitor.
  const build = (): { parts: Part[]; grpc: GrpcServer; http: HttpServer; ota: OtaParts } => {
    if (built) return built;
    const metrics: Registry = createMetricsRegistry({
      version: deps.softwareVersion ?? packageVersion(),
    });
    registerLeaderMetrics(metrics, leadership, singletons);
    const ingest = createIngest({ store, metrics, logger: logger.child({ module: 'telemetry' }) });
    const fleet = new FleetState();
    // Revocation ends live streams through the gRPC server, which is built just below.
    let endGatewayStreams: (gatewayId: string) => number = () => 0;
    const identity = buildIdentity(config, identityStore, {
      logger: logger.child({ module: 'identity' }),
      endGatewayStreams: (gatewayId) => endGatewayStreams(gatewayId),
    });
    const isMtls = config.grpc.tls === 'mtls';
    let grpcTls: GrpcTls | undefined;
    // The desired state pushes through the gRPC server, which is built just below.
    const late: { server?: GrpcServer } = {};
    const ota = createOtaParts({
      dataDir: config.dataDir,
      storage: otaStorage,
      signingKeyFile: config.identity.artifactSigningKeyFile,
      isSharedStore: config.store.kind === 'postgres',
      identity,
      identityStore,
      fleet: () => fleetMembers({ identity, identityStore, store, sessions: fleet }),
      push: (gatewayId, desired) => late.server?.pushDesired(gatewayId, desired),
      connected: () => late.server?.connectedGateways() ?? [],
      isInsecure: !isMtls,
      isLeader: () => leadership.isLeader(),
      metrics,
      logger,
    });
    const grpc = createGrpcServer(
      {
        host: config.grpc.host,
        port: config.grpc.port,
        apiHost: config.api.host,
        apiPort: config.api.port,
        apiRateLimit: { burst: config.api.rateLimitBurst, perSecond: config.api.rateLimitPerSecond },
        maxBatchRecords: config.grpc.maxBatchRecords,
        get tls() {
          return grpcTls;
        },
      },
      {
        ingest,
        registry: metrics,
        reports: fleet,
        desired: {
          helloFrom: (gatewayId) => ota.desired.helloFrom(gatewayId),
          reported: (gatewayId, report) => ota.desired.reported(gatewayId, report),
          streamClosed: (gatewayId) => {
            ota.desired.streamClosed(gatewayId);
          },
        },
        ota: ota.apis,
        identity: identityApi(identity),
        fleet: {
          ...fleetLabelsApi({ identity, identityStore, store, sessions: fleet }, (gatewayId) => ota.desired.refresh(`gateway:${gatewayId}`)),
          ...ota.fleetDesired,
        },
        telemetry: createTelemetryGrpcApi({ store, identity, identityStore }),
        templates: createTemplateApi({ identity, identityStore, artifacts: ota.artifacts, desired: ota.desired, logger }),
        logger: logger.child({ module: 'grpc' }),
      },
    );
    endGatewayStreams = (gatewayId) => grpc.endGatewayStreams(gatewayId);
    late.server = grpc;
    const http = createHttpServer(
      { host: config.http.host, port: config.http.port },
      {
        logger: logger.child({ module: 'http' }),
        metrics,
        gateways: () => fleet.list(Date.now()),
        dashboard: createDashboard(config.dashboard, {
          metrics,
          rollouts: () => Promise.resolve(ota.controller.list()),
          sources: {
            gateways: () =>
              listFleetGateways({
                sessions: () => fleet.list(Date.now()),
                stored: () => store.listGateways(),
                enrolled: () => identity.enrolledGateways(),
              }),
            countRecords: (gatewayId) => store.countRecords(gatewayId),
            listRecords: (gatewayId, options) => store.listRecords(gatewayId, options),
            queryRecords: (gatewayId, query) => store.queryRecords(gatewayId, query),
          },
        }),
        checks: {
          store: () =>
            store.isOpen() ? { isReady: true, state: 'open' } : { isReady: false, state: 'closed' },
          grpc: () =>
            grpc.isServing()
              ? { isReady: true, state: 'serving' }
              : { isReady: false, state: 'not serving' },
          // A follower serves streams and APIs like the leader: it is ready either way.
          leader: () => ({ isReady: true, state: leadership.isLeader() ? 'leading' : 'following' }),
        },
      },
    );
    const parts: Part[] = [
      { name: 'store', start: () => store.open(), stop: () => store.close() },
      { name: 'identity-store', start: () => identityStore.open(), stop: () => identityStore.close() },
      { name: 'ota-store', start: () => otaStorage.start(), stop: () => otaStorage.stop() },
      {
        name: 'identity',
        start: async () => {
          await identity.start();
          const { ca, server } = identity.tls();
          if (isMtls) grpcTls = { caPem: ca.certPem, certPem: server.certPem, keyPem: server.keyPem };
          caPem = ca.certPem;
        },
        stop: () => identity.stop(),
      },
      {
        name: 'ota',
        start: () => {
          ota.desired.start();
          return Promise.resolve();
        },
        stop: () => {
          ota.desired.stop();
          return Promise.resolve();
        },
      },
      { name: 'grpc', start: () => grpc.start(), stop: () => grpc.stop() },
      { name: 'http', start: () => http.start(), stop: () => http.stop() },
      // Last to start, first to stop: singleton work runs only on a fully serving process.
      { name: 'leader', ...leaderPart(leadership, singletons) },
    ];
    singletons.register('rollouts', { start: () => ota.controller.start(), stop: () => ota.controller.stop() });
    const retention = createRetention(config, { store, metrics, logger: logger.child({ module: 'retention' }) });
    if (retention) singletons.register('retention', { start: () => retention.start(), stop: () => retention.stop() });
    built = { parts, grpc, http, ota };
    return built;
  };

  const stopStarted = async (): Promise<void> => {
    const parts = started.reverse();
    started = [];
    let firstError: Error | undefined;
    for (const part of parts) {
      try {
        await part.stop();
      } catch (err) {
        logger.error({ err, part: part.name }, 'stop failed');
        firstError ??= err instanceof Error ? err : new Error(String(err));
      }
    }
    if (firstError !== undefined) throw firstError;
  };

  // start() and stop() are queued, so a stop during a start waits for it.
  const queued = (action: () => Promise<void>): Promise<void> => {
    const next = lifecycle.then(action);
    lifecycle = next.catch(() => undefined);
    return next;
  };

  return {
    store,
    start: () =>
      queued(async () => {
        if (started.length > 0) return;
        const { parts, grpc, http } = build();
        for (const part of parts) {
          try {
            await part.start();
          } catch (err) {
            logger.error({ err, part: part.name }, 'start failed');
            // stopStarted logs each failure; the start error is the one to report.
            await stopStarted().catch(() => undefined);
            throw err;
          }
          started.push(part);
        }
        logger.info(
          {
            grpcPort: grpc.port(),
            apiPort: grpc.apiPort(),
            tls: config.grpc.tls,
            httpPort: http.port(),
            dataDir: config.dataDir,
            store: config.store.kind,
            isLeader: leadership.isLeader(),
          },
          'cloud started',
        );
      }),
    stop: () =>
      queued(async () => {
        if (started.length === 0) return;
        await stopStarted();
        logger.info('cloud stopped');
      }),
    identityStore,
    singletons,
    isLeader: () => leadership.isLeader(),
    caCertificatePem: () => caPem,
    artifactPublicKeyPem: () => built?.ota.publicKeyPem,
    apiPort: () => built?.grpc.apiPort() ?? 0,
    grpcPort: () => built?.grpc.port() ?? 0,
    httpPort: () => built?.http.port() ?? 0,
  };
}
