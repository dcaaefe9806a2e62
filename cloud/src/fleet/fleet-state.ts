import type { BacklogReport__Output, DeviceState__Output } from '@coupler/proto';

export interface LaneBacklogView {
  lane: string;
  records: number;
  bytes: number;
  droppedTotal: number;
}

export interface DeviceView {
  deviceId: string;
  kind: string;
  status: string;
  firmwareVersion: string;
  lastError: string;
}

export interface GatewayView {
  gatewayId: string;
  /** As the gateway last reported them; empty until its first device report. */
  devices?: DeviceView[];
  softwareVersion: string;
  isConnected: boolean;
  lastSeenMs: number;
  backlog?: {
    records: number;
    bytes: number;
    quotaBytes: number;
    oldestRecordAgeSeconds: number;
    secondsUntilQuotaFull: number;
    reportedAtMs: number;
    lanes: LaneBacklogView[];
  };
}

/**
 * What the cloud knows of each gateway from its sync stream: connected or not, last seen,
 * software version and the last buffer report. In memory: it is rebuilt from the next hello
 * and report after a restart. Sessions of gateways gone for longer than `expireAfterMs` are
 * forgotten, so the map stays bounded.
 */
export class FleetState {
  private readonly gateways = new Map<string, GatewayView & { openStreams: number }>();

  constructor(private readonly options: { expireAfterMs: number } = { expireAfterMs: 7 * 24 * 3_600_000 }) {}

  streamOpened(gatewayId: string, softwareVersion: string, atMs: number): void {
    const gateway = this.entry(gatewayId, atMs);
    gateway.softwareVersion = softwareVersion;
    gateway.openStreams++;
    gateway.isConnected = true;
  }

  backlogReported(gatewayId: string, report: BacklogReport__Output, atMs: number): void {
    const gateway = this.entry(gatewayId, atMs);
    gateway.backlog = {
      records: report.records,
      bytes: report.bytes,
      quotaBytes: report.quotaBytes,
      oldestRecordAgeSeconds: report.oldestRecordAgeSeconds,
      secondsUntilQuotaFull: report.secondsUntilQuotaFull,
      reportedAtMs: atMs,
      lanes: report.lanes.map((lane) => ({ lane: lane.lane.replace(/^LANE_/, '').toLowerCase(), records: lane.records, bytes: lane.bytes, droppedTotal: lane.droppedTotal })),
    };
  }

  devicesReported(gatewayId: string, devices: readonly DeviceState__Output[], atMs: number): void {
    this.entry(gatewayId, atMs).devices = devices.map((d) => ({
      deviceId: d.deviceId,
      kind: d.kind,
      status: d.status,
      firmwareVersion: d.firmwareVersion,
      lastError: d.lastError,
    }));
  }

  streamClosed(gatewayId: string, atMs: number): void {
    const gateway = this.entry(gatewayId, atMs);
    gateway.openStreams = Math.max(0, gateway.openStreams - 1);
    gateway.isConnected = gateway.openStreams > 0;
  }

  list(nowMs: number): GatewayView[] {
    for (const [id, gateway] of this.gateways) {
      if (!gateway.isConnected && nowMs - gateway.lastSeenMs > this.options.expireAfterMs) this.gateways.delete(id);
    }
    return [...this.gateways.values()]
      .map((gateway): GatewayView => {
        const view: GatewayView & { openStreams?: number } = { ...gateway };
        delete view.openStreams;
        return view;
      })
      .sort((a, b) => a.gatewayId.localeCompare(b.gatewayId));
  }

  private entry(gatewayId: string, atMs: number): GatewayView & { openStreams: number } {
    let gateway = this.gateways.get(gatewayId);
    if (!gateway) {
      gateway = { gatewayId, softwareVersion: '', isConnected: false, lastSeenMs: atMs, openStreams: 0 };
      this.gateways.set(gatewayId, gateway);
    }
    gateway.lastSeenMs = atMs;
    return gateway;
  }
}
