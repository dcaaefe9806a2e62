import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, RawServerDefault } from 'fastify';
import type { Logger } from '@coupler/kit';
import type { StoredRecord, TimeRangeQuery } from '../records/index.js';

/** The state of one dependency, as /readyz reports it. */
export interface DependencyState {
  isReady: boolean;
  /** Short word for humans: "open", "closed", "serving", "not serving". */
  state: string;
}

/** Readiness probes by dependency name; the composition root passes them in. */
export type ReadinessChecks = Readonly<Record<string, () => DependencyState>>;

/** A gateway as the fleet view shows it (the fleet capability's list, passed in by the root). */
export interface DashboardGateway {
  gatewayId: string;
  isConnected: boolean;
  lastSeenMs: number;
  softwareVersion: string;
  storedRecords: number;
  backlogRecords: number;
  oldestBacklogAgeSeconds: number;
}

/** Read access to stored records (the TelemetryStore, passed in by the root). */
export interface DashboardRecords {
  countRecords(gatewayId: string): Promise<number>;
  listRecords(
    gatewayId: string,
    options: { fromSequence: number; limit: number },
  ): Promise<StoredRecord[]>;
  /** Records by timestamp in [fromMs, toMs), oldest first, through the store's time index. */
  queryRecords(gatewayId: string, query: TimeRangeQuery): Promise<StoredRecord[]>;
}


/** What the dashboard reads. */
export interface DashboardSources extends DashboardRecords {
  gateways(): Promise<DashboardGateway[]>;
}

/** The cloud's fastify instance, with the cloud's logger. */
export type DashboardApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  Logger
>;

/** Lets the request through with a live session; otherwise answers (401 or a redirect to login). */
export type SessionGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** A rollout as the dashboard shows it: the fields of the rollouts capability's RolloutState it reads. */
export interface DashboardRollout {
  plan: {
    rolloutId: string;
    target: { kind: string; version: string };
    gatewayIds: readonly string[];
  };
  status: string;
  currentWave: number;
  waves: readonly {
    gatewayIds: readonly string[];
    results: Readonly<Record<string, { outcome: string }>>;
  }[];
  pausedReason?: string;
}

/** Every rollout the cloud keeps (the rollout repository, passed in by the root once it runs one). */
export type DashboardRollouts = () => Promise<readonly DashboardRollout[]>;
