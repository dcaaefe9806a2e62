import type { GatewayLabels } from '../records/index.js';
import type { DeviceView, GatewayView } from './fleet-state.js';
import { matchesFilter, type LabelFilter } from './labels.js';

/** A gateway as FleetService.ListGateways reports it. */
export interface FleetGatewayView {
  gatewayId: string;
  isConnected: boolean;
  lastSeenMs: number;
  softwareVersion: string;
  storedRecords: number;
  backlogRecords: number;
  oldestBacklogAgeSeconds: number;
  isEnrolled: boolean;
  labels: GatewayLabels;
  devices: DeviceView[];
  backlogBytes: number;
  quotaBytes: number;
}

const NO_LABELS: GatewayLabels = { train: '', car: '', line: '', tags: [] };

export interface FleetViewSources {
  /** Live sessions (fleet-state.ts). */
  sessions: () => GatewayView[];
  /** What the store holds per gateway. */
  stored: () => Promise<{ gatewayId: string; lastSeenMs: number; records: number }[]>;
  /** Gateways holding a valid certificate, listed even before their first stream. */
  enrolled: () => Promise<string[]>;
  /** Train, car, line and tags set by operators. */
  labels?: () => Promise<{ gatewayId: string; labels: GatewayLabels }[]>;
  /** Only gateways whose labels match. */
  filter?: LabelFilter;
}

/** Every gateway the cloud knows from a session or from stored records, in id order. */
export async function listFleetGateways(sources: FleetViewSources): Promise<FleetGatewayView[]> {
  const sessions = new Map(sources.sessions().map((s) => [s.gatewayId, s]));
  const stored = new Map((await sources.stored()).map((s) => [s.gatewayId, s]));
  const enrolled = new Set(await sources.enrolled());
  const labels = new Map(((await sources.labels?.()) ?? []).map((l) => [l.gatewayId, l.labels]));
  const filter = sources.filter;
  const ids = [...new Set([...sessions.keys(), ...stored.keys(), ...enrolled])]
    .filter((id) => filter === undefined || matchesFilter(labels.get(id), filter))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ids.map((gatewayId): FleetGatewayView => {
    const session = sessions.get(gatewayId);
    const summary = stored.get(gatewayId);
    return {
      gatewayId,
      isConnected: session?.isConnected ?? false,
      lastSeenMs: Math.max(session?.lastSeenMs ?? 0, summary?.lastSeenMs ?? 0),
      softwareVersion: session?.softwareVersion ?? '',
      storedRecords: summary?.records ?? 0,
      backlogRecords: session?.backlog?.records ?? 0,
      oldestBacklogAgeSeconds: session?.backlog?.oldestRecordAgeSeconds ?? 0,
      isEnrolled: enrolled.has(gatewayId),
      labels: labels.get(gatewayId) ?? NO_LABELS,
      devices: session?.devices ?? [],
      backlogBytes: session?.backlog?.bytes ?? 0,
      quotaBytes: session?.backlog?.quotaBytes ?? 0,
    };
  });
}
