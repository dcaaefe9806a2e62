import type { Registry } from 'prom-client';
import type { Logger } from '@coupler/kit';
import type { Reading } from '../../records/index.js';
import { Backoff } from '../../lib/index.js';
import { decodeRegisters } from './codec.js';
import { createModbusMetrics, type DeviceStatus, type ModbusMetrics } from './metrics.js';
import { resolveProfile, type DeviceProfile } from './profile.js';
import { planReads, sizeOf, type ReadRequest } from './read-plan.js';
import { classifyFailure, TcpDevice } from './tcp-device.js';

export interface ModbusDeviceConfig {
  id: string;
  profile: string;
  host: string;
  port: number;
  unitId: number;
  pollIntervalMs: number;
  timeoutMs: number;
}

export interface ModbusPollerDeps {
  logger: Logger;
  registry: Registry;
  /** Hands a reading to the bus; resolves once it is durable. */
  publish: (reading: Reading) => Promise<void>;
  now?: () => number;
}

export interface DeviceState {
  deviceId: string;
  status: DeviceStatus;
  consecutiveFailures: number;
  lastError?: string;
  lastReadingAtMs?: number;
}

export interface ModbusPoller {
  start(): Promise<void>;
  stop(): Promise<void>;
  statuses(): DeviceState[];
}

/** Consecutive failed polls after which a device counts as offline. */
export const OFFLINE_AFTER_FAILURES = 3;
const MAX_RECONNECT_DELAY_MS = 30_000;

interface DeviceLoop {
  config: ModbusDeviceConfig;
  profile: DeviceProfile;
  plan: ReadRequest[];
  device: TcpDevice;
  state: DeviceState;
  backoff: Backoff;
  timer: NodeJS.Timeout | undefined;
  polling: Promise<void>;
}

/**
 * Polls Modbus TCP devices, each in its own loop, so a slow or dead device never delays
 * another. A failed poll is counted and retried at the next interval (with back-off while the
 * device stays unreachable); the status moves ok → degraded → offline and back, logged once
 * per change.
 */
export function createModbusPoller(options: { devices: readonly ModbusDeviceConfig[] }, deps: ModbusPollerDeps): ModbusPoller {
  const now = deps.now ?? Date.now;
  let metrics: ModbusMetrics | undefined;
  let loops: DeviceLoop[] = [];
  let isRunning = false;

  function setStatus(loop: DeviceLoop, status: DeviceStatus, err?: unknown): void {
    if (loop.state.status === status) return;
    const previous = loop.state.status;
    loop.state.status = status;
    for (const s of ['ok', 'degraded', 'offline'] as const) metrics?.status.set({ device: loop.config.id, status: s }, s === status ? 1 : 0);
    const fields = { deviceId: loop.config.id, from: previous, to: status, err };
    if (status === 'ok') deps.logger.info(fields, 'modbus device ok');
    else deps.logger.warn(fields, 'modbus device status changed');
  }

  async function pollOnce(loop: DeviceLoop): Promise<void> {
    const timestampMs = now();
    const values: Reading['values'] = [];
    for (const request of loop.plan) {
      const startedAt = performance.now();
      const words = await loop.device.read(request);
      metrics?.requestDuration.observe({ device: loop.config.id }, (performance.now() - startedAt) / 1000);
      metrics?.requests.inc({ device: loop.config.id, result: 'ok' });
      for (const { register, offset } of request.fields) {
        const raw = request.kind === 'coil' || request.kind === 'discrete' ? (words[offset] ?? 0) : decodeRegisters(words.slice(offset, offset + sizeOf(register)), register.data_type, register.byte_order);
        values.push({ name: register.name, value: raw * register.scale + register.offset, unit: register.unit });
      }
    }
    await deps.publish({ deviceId: loop.config.id, timestampMs, quality: 'good', lane: 'bulk', values });
    loop.state.lastReadingAtMs = timestampMs;
  }

  async function runPoll(loop: DeviceLoop): Promise<void> {
    const startedAt = now();
    let delayMs = loop.config.pollIntervalMs;
    try {
      await pollOnce(loop);
      loop.state.consecutiveFailures = 0;
      delete loop.state.lastError;
      loop.backoff.reset();
      setStatus(loop, 'ok');
      delayMs = Math.max(0, startedAt + loop.config.pollIntervalMs - now());
    } catch (err) {
      const result = classifyFailure(err);
      metrics?.requests.inc({ device: loop.config.id, result });
      loop.state.consecutiveFailures++;
      loop.state.lastError = `${result}: ${(err as Error).message}`;
      if (result === 'error') await loop.device.close();
      setStatus(loop, loop.state.consecutiveFailures >= OFFLINE_AFTER_FAILURES ? 'offline' : 'degraded', err);
      if (loop.state.status === 'offline') delayMs = Math.max(loop.config.pollIntervalMs, loop.backoff.nextDelayMs());
    }
    schedule(loop, delayMs);
  }

  function schedule(loop: DeviceLoop, delayMs: number): void {
    if (!isRunning) return;
    loop.timer = setTimeout(() => {
      loop.polling = runPoll(loop);
    }, delayMs);
  }

  return {
    start() {
      if (isRunning) return Promise.resolve();
      metrics ??= createModbusMetrics(deps.registry);
      loops = options.devices.map((config) => {
        const profile = resolveProfile(config.profile);
        return {
          config,
          profile,
          plan: planReads(profile.registers, profile.max_registers_per_read),
          device: new TcpDevice({ host: config.host, port: config.port, unitId: config.unitId, timeoutMs: config.timeoutMs }),
          state: { deviceId: config.id, status: 'ok', consecutiveFailures: 0 },
          backoff: new Backoff({ initialMs: config.pollIntervalMs, maxMs: Math.max(config.pollIntervalMs, MAX_RECONNECT_DELAY_MS) }),
          timer: undefined,
          polling: Promise.resolve(),
        };
      });
      isRunning = true;
      for (const loop of loops) {
        for (const s of ['ok', 'degraded', 'offline'] as const) metrics.status.set({ device: loop.config.id, status: s }, s === 'ok' ? 1 : 0);
        schedule(loop, 0);
      }
      deps.logger.info({ devices: loops.length }, 'modbus polling started');
      return Promise.resolve();
    },
    async stop() {
      if (!isRunning) return;
      isRunning = false;
      for (const loop of loops) clearTimeout(loop.timer);
      await Promise.all(loops.map((loop) => loop.polling.catch(() => undefined)));
      await Promise.all(loops.map((loop) => loop.device.close()));
    },
    statuses() {
      return loops.map((loop) => ({ ...loop.state }));
    },
  };
}
