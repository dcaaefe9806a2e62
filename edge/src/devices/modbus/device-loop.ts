import { Backoff, type DueItem } from '../../lib/index.js';
import type { DeviceStatus } from './metrics.js';
import { resolveProfile, type DeviceProfile, type ProfileRegister } from './profile-schema.js';
import { planReads, type ReadRequest } from './read-plan.js';
import type { RtuBus } from './rtu-bus.js';
import { ModbusTcpClient } from './tcp-client.js';
import type { ModbusTransport } from './transport.js';

export interface ModbusDeviceConfig {
  id: string;
  /** A profile name (`eastron-sdm630`) or the path of a profile file. */
  profile: string;
  /** Default tcp. */
  transport?: 'tcp' | 'rtu';
  /** Transport tcp. */
  host?: string;
  port?: number;
  /** Transport rtu: the id of an entry in `buses`. */
  bus?: string;
  unitId: number;
  pollIntervalMs: number;
  timeoutMs: number;
  /** Extra attempts of a failed request while the device is ok; default 1. */
  retries?: number;
}

export interface ModbusDeviceStatus {
  deviceId: string;
  status: DeviceStatus;
  /** `<result>: <message>` of the last failed poll while the device is not ok. */
  lastError?: string;
  consecutiveFailures: number;
  lastReadingAtMs?: number;
}

/** Longest wait between reconnect attempts to an offline device (unless its poll interval is longer). */
export const MAX_RECONNECT_DELAY_MS = 30_000;
/** Default extra attempts of a failed request while the device is ok. */
export const DEFAULT_RETRIES = 1;
/** Values read at one interval: the device's own (undefined) or a profile's poll_interval_ms. */
export interface ReadGroup {
  intervalMs: number | undefined;
  plan: readonly ReadRequest[];
  /** performance.now() of the start of the last poll that read this group. */
  lastReadAtMs: number;
}

export interface DeviceLoop extends DueItem {
  config: ModbusDeviceConfig;
  groups: ReadGroup[];
  client: ModbusTransport;
  retries: number;
  state: ModbusDeviceStatus;
  backoff: Backoff;
  /** Label sets of the per-request metrics, made once rather than on every request. */
  labels: { device: { device: string }; ok: { device: string; result: 'ok' } };
  polling: Promise<void> | undefined;
  /** Replaced by a reconfiguration: its poll in flight ends, and it is not queued again. */
  isRetired: boolean;
  isPublishFailing: boolean;
}

interface LoopContext {
  buses: ReadonlyMap<string, RtuBus>;
  profileDirs: readonly string[];
}

function transportOf(
  config: ModbusDeviceConfig,
  buses: ReadonlyMap<string, RtuBus>,
): ModbusTransport {
  if (config.transport === 'rtu') {
    const bus = buses.get(config.bus ?? '');
    if (bus === undefined)
      throw new Error(`device ${config.id} names no configured bus (${String(config.bus)})`);
    return bus.unit(config.unitId, config.timeoutMs);
  }
  if (config.host === undefined) throw new Error(`device ${config.id} has no host`);
  return new ModbusTcpClient({
    host: config.host,
    port: config.port ?? 502,
    unitId: config.unitId,
    timeoutMs: config.timeoutMs,
  });
}

/** Splits the registers by poll interval and plans each set's reads on its own. Pure. */
export function groupReads(profile: DeviceProfile): ReadGroup[] {
  const byInterval = new Map<number | undefined, ProfileRegister[]>();
  for (const register of profile.registers) {
    const registers = byInterval.get(register.poll_interval_ms) ?? [];
    registers.push(register);
    byInterval.set(register.poll_interval_ms, registers);
  }
  return [...byInterval].map(([intervalMs, registers]) => ({
    intervalMs,
    plan: planReads(registers, { maxRegistersPerRead: profile.max_registers_per_read }),
    lastReadAtMs: -Infinity,
  }));
}

/**
 * The groups a poll starting at `nowMs` reads: those at the device's interval, and those whose
 * interval has passed, give or take half a device interval, so a 1 s group on a 100 ms device
 * is read on every tenth poll rather than every eleventh. Pure.
 */
export function dueGroups(
  groups: readonly ReadGroup[],
  nowMs: number,
  pollIntervalMs: number,
): ReadGroup[] {
  return groups.filter((group) => isGroupDue(group, nowMs, pollIntervalMs));
}

/** Whether a poll starting at `nowMs` reads `group` (see dueGroups). Pure. */
export function isGroupDue(group: ReadGroup, nowMs: number, pollIntervalMs: number): boolean {
  return (
    group.intervalMs === undefined ||
    nowMs - group.lastReadAtMs >= group.intervalMs - pollIntervalMs / 2
  );
}

export function createDeviceLoop(config: ModbusDeviceConfig, context: LoopContext): DeviceLoop {
  const profile = resolveProfile(config.profile, { profileDirs: context.profileDirs });
  return {
    config,
    groups: groupReads(profile),
    client: transportOf(config, context.buses),
    retries: config.retries ?? DEFAULT_RETRIES,
    state: { deviceId: config.id, status: 'ok', consecutiveFailures: 0 },
    backoff: new Backoff({
      initialMs: config.pollIntervalMs,
      maxMs: Math.max(config.pollIntervalMs, MAX_RECONNECT_DELAY_MS),
    }),
    dueMs: performance.now(),
    queueIndex: -1,
    labels: { device: { device: config.id }, ok: { device: config.id, result: 'ok' } },
    polling: undefined,
    isRetired: false,
    isPublishFailing: false,
  };
}
