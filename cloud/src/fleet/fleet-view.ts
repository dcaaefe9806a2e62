import type { GatewayView } from './fleet-state.js';

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
}

export interface FleetViewSources {
  /** Live sessions (fleet-state.ts). */
  sessions: () => GatewayView[];
  /** What the store holds per gateway. */
  stored: () => Promise<{ gatewayId: string; lastSeenMs: number; records: number }[]>;
  /** Gateways holding a valid certificate, listed even before their first stream. */
  enrolled: () => Promise<string[]>;
}

/** Every gateway the cloud knows from a session or from stored records, in id order. */
export async function listFleetGateways(sources: FleetViewSources): Promise<FleetGatewayView[]> {
  const sessions = new Map(sources.sessions().map((s) => [s.gatewayId, s]));
  const stored = new Map((await sources.stored()).map((s) => [s.gatewayId, s]));
  const enrolled = new Set(await sources.enrolled());
  const ids = [...new Set([...sessions.keys(), ...stored.keys(), ...enrolled])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
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
    };
  });
}
