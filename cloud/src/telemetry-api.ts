import type { Registry } from 'prom-client';
import type { Logger } from '@coupler/kit';
import type { FrozenCloudConfig } from './config/index.js';
import type { TelemetryGrpcApi } from './grpc/index.js';
import type { Identity } from './identity/index.js';
import type { IdentityStore, TelemetryStore } from './store/index.js';
import { createRetentionMetrics, createTelemetryApi, RetentionJob } from './telemetry/index.js';

const DAY_MS = 86_400_000;

/** Binds TelemetryService to the telemetry capability: the role is checked before anything is read. */
export function createTelemetryGrpcApi(parts: {
  store: TelemetryStore;
  identity: Identity;
  identityStore: IdentityStore;
}): TelemetryGrpcApi {
  const api = createTelemetryApi({
    records: parts.store,
    gatewayTrains: async () =>
      (await parts.identityStore.listGatewayLabels()).map(({ gatewayId, labels }) => ({ gatewayId, train: labels.train })),
  });
  return {
    query: async (auth, query) => {
      await parts.identity.authorizeRead('QueryTelemetry', auth);
      return api.query(query);
    },
    exportBilling: async (auth, request) => {
      await parts.identity.authorizeRead('ExportBilling', auth);
      return api.exportBilling(request);
    },
  };
}

/**
 * The retention job the configuration asks for, or undefined when raw telemetry is kept forever
 * (retention.rawMaxAgeDays: 0). A singleton: with several cloud processes, run it on the leader.
 */
export function createRetention(
  config: FrozenCloudConfig,
  deps: { store: TelemetryStore; metrics: Registry; logger: Logger },
): RetentionJob | undefined {
  const { retention } = config;
  if (retention.rawMaxAgeDays === 0) return undefined;
  return new RetentionJob(
    {
      maxAgeMs: retention.rawMaxAgeDays * DAY_MS,
      intervalMs: retention.intervalSeconds * 1000,
      batchRecords: retention.batchRecords,
      maxBatchesPerRun: retention.maxBatchesPerRun,
    },
    { store: deps.store, metrics: createRetentionMetrics(deps.metrics), logger: deps.logger },
  );
}
