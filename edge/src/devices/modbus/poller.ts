import type { Registry } from 'prom-client';
import type { Logger } from '@coupler/kit';
import type { Reading, SignalValue } from '../../records/index.js';
import { Backoff } from '../../lib/index.js';
import {
  createModbusMetrics,
  DEVICE_STATUSES,
  type DeviceStatus,
  type ModbusMetrics,
} from './metrics.js';
import { resolveProfile } from './profile-schema.js';
import { decodeAnswer, planReads, type ReadRequest } from './read-plan.js';
import { classifyFailure, describeFailure, ModbusTcpClient } from './tcp-client.js';

export interface ModbusDeviceConfig {
  id: string;
  /** A built-in profile name (`eastron-sdm630`) or the path of a profile file. */
  profile: string;
  host: string;
  port: number;
  unitId: number;
  pollIntervalMs: number;
  timeoutMs: number;
}

export interface ModbusPollerOptions {
  devices: readonly ModbusDeviceConfig[];
  /** User profile folders, searched for bare profile names before the built-ins. */
  profileDirs?: readonly string[];
}

export interface ModbusPollerDeps {
  logger: Logger;
  /** Metrics go here, never to prom-client's global registry. */
  registry: Registry;
  /** Hands a reading to the bus; resolves once it is accepted. */
  publish: (reading: Reading) => Promise<void>;
  /** Wall clock for reading timestamps (UTC ms); polls are scheduled on the monotonic clock. */
  now?: () => number;
}

export interface ModbusDeviceStatus {
  deviceId: string;
  status: DeviceStatus;
  /** `<result>: <message>` of the last failed poll while the device is not ok. */
  lastError?: string;
  consecutiveFailures: number;
  lastReadingAtMs?: number;
}

export interface ModbusPoller {
  start(): Promise<void>;
  stop(): Promise<void>;
  statuses(): ModbusDeviceStatus[];
}

/** Consecutive failed polls after which a device counts as offline (one makes it degraded). */
export const OFFLINE_AFTER_FAILURES = 3;
/** Longest wait between reconnect attempts to an offline device (unless its poll interval is longer). */
export const MAX_RECONNECT_DELAY_MS = 30_000;

interface DeviceLoop {
  config: ModbusDeviceConfig;
  plan: readonly ReadRequest[];
  client: ModbusTcpClient;
  state: ModbusDeviceStatus;
  backoff: Backoff;
  /** performance.now() at which the next poll is due. */
  nextDueMs: number;
  timer: NodeJS.Timeout | undefined;
  polling: Promise<void> | undefined;
  isPublishFailing: boolean;
}

/**
 * Polls Modbus TCP devices, one independent loop each, so a slow or dead device never delays
 * another. A failed poll is counted and retried at the next interval; while a device stays
 * offline, reconnects back off up to MAX_RECONNECT_DELAY_MS. The status moves ok → degraded
 * (1 failure) → offline (3 in a row) and back to ok on success, logged once per change.
 */
export function createModbusPoller(
  options: ModbusPollerOptions,
  deps: ModbusPollerDeps,
): ModbusPoller {
  const now = deps.now ?? Date.now;
  const log = deps.logger;
  let metrics: ModbusMetrics | undefined;
  let loops: DeviceLoop[] = [];
  let isRunning = false;
  let stopping: Promise<void> | undefined;

  function setStatus(loop: DeviceLoop, status: DeviceStatus): void {
    const previous = loop.state.status;
    if (previous === status) return;
    loop.state.status = status;
    for (const s of DEVICE_STATUSES)
      metrics?.status.set({ device: loop.config.id, status: s }, s === status ? 1 : 0);
    const fields = {
      deviceId: loop.config.id,
      host: loop.config.host,
      port: loop.config.port,
      unitId: loop.config.unitId,
      from: previous,
      to: status,
    };
    if (status === 'ok') log.info(fields, 'modbus device ok');
    else
      log.warn(
        {
          ...fields,
          lastError: loop.state.lastError,
          consecutiveFailures: loop.state.consecutiveFailures,
        },
        'modbus device status changed',
      );
  }

  /** Executes the read plan; throws the first failed request, already counted. */
  async function readAll(loop: DeviceLoop): Promise<SignalValue[]> {
    const device = loop.config.id;
    const values: SignalValue[] = [];
    for (const request of loop.plan) {
      if (!isRunning) throw new Error('stopped');
      const startedAt = performance.now();
      let words: number[];
      try {
        words = await loop.client.read(request.kind, request.address, request.count);
      } catch (err) {
        metrics?.requests.inc({ device, result: classifyFailure(err) });
        throw err;
      }
      metrics?.requestDuration.observe({ device }, (performance.now() - startedAt) / 1000);
      metrics?.requests.inc({ device, result: 'ok' });
      values.push(...decodeAnswer(request, words));
    }
    return values;
  }

  async function publish(loop: DeviceLoop, reading: Reading): Promise<void> {
    try {
      await deps.publish(reading);
      if (loop.isPublishFailing)
        log.info({ deviceId: loop.config.id }, 'modbus readings accepted again');
      loop.isPublishFailing = false;
    } catch (err) {
      // The bus refused it: not the device's fault, so its status stays; counted, logged once.
      metrics?.publishFailures.inc({ device: loop.config.id });
      if (!loop.isPublishFailing)
        log.error({ deviceId: loop.config.id, err }, 'modbus reading not accepted');
      loop.isPublishFailing = true;
    }
  }

  async function pollOnce(loop: DeviceLoop): Promise<void> {
    const timestampMs = now();
    let values: SignalValue[];
    try {
      values = await readAll(loop);
    } catch (err) {
      if (!isRunning) return;
      const result = classifyFailure(err);
      loop.state.consecutiveFailures++;
      loop.state.lastError = `${result}: ${describeFailure(err)}`;
      // An exception is a well-formed answer; after a timeout or a socket error, start afresh.
      if (result !== 'exception') await loop.client.close();
      setStatus(
        loop,
        loop.state.consecutiveFailures >= OFFLINE_AFTER_FAILURES ? 'offline' : 'degraded',
      );
      const delayMs =
        loop.state.status === 'offline'
          ? Math.max(loop.config.pollIntervalMs, loop.backoff.nextDelayMs())
          : loop.config.pollIntervalMs;
      loop.nextDueMs = performance.now() + delayMs;
      return;
    }
    loop.state.consecutiveFailures = 0;
    delete loop.state.lastError;
    loop.backoff.reset();
    setStatus(loop, 'ok');
    loop.state.lastReadingAtMs = timestampMs;
    await publish(loop, {
      deviceId: loop.config.id,
      timestampMs,
      quality: 'good',
      lane: 'bulk',
      values,
    });
    // Fixed rate: the next poll is due one interval after this one was due; missed ones are skipped.
    loop.nextDueMs = Math.max(loop.nextDueMs + loop.config.pollIntervalMs, performance.now());
  }

  function schedule(loop: DeviceLoop): void {
    if (!isRunning) return;
    loop.timer = setTimeout(
      () => {
        loop.timer = undefined;
        loop.polling = pollOnce(loop)
          .catch((err: unknown) => {
            // pollOnce handles device failures itself; reaching here is a bug, logged, and the loop goes on.
            log.error({ deviceId: loop.config.id, err }, 'modbus poll crashed');
          })
          .finally(() => {
            loop.polling = undefined;
            schedule(loop);
          });
      },
      Math.max(0, loop.nextDueMs - performance.now()),
    );
  }

  function createLoop(config: ModbusDeviceConfig): DeviceLoop {
    const profile = resolveProfile(config.profile, { profileDirs: options.profileDirs ?? [] });
    return {
      config,
      plan: planReads(profile.registers, { maxRegistersPerRead: profile.max_registers_per_read }),
      client: new ModbusTcpClient({
        host: config.host,
        port: config.port,
        unitId: config.unitId,
        timeoutMs: config.timeoutMs,
      }),
      state: { deviceId: config.id, status: 'ok', consecutiveFailures: 0 },
      backoff: new Backoff({
        initialMs: config.pollIntervalMs,
        maxMs: Math.max(config.pollIntervalMs, MAX_RECONNECT_DELAY_MS),
      }),
      nextDueMs: performance.now(),
      timer: undefined,
      polling: undefined,
      isPublishFailing: false,
    };
  }

  return {
    start() {
      if (isRunning) return Promise.resolve();
      stopping = undefined;
      // Profiles are loaded here, so a bad one fails start() with its ConfigError and no loop runs.
      loops = options.devices.map(createLoop);
      metrics ??= createModbusMetrics(deps.registry);
      isRunning = true;
      for (const loop of loops) {
        for (const s of DEVICE_STATUSES)
          metrics.status.set({ device: loop.config.id, status: s }, s === 'ok' ? 1 : 0);
        schedule(loop);
      }
      log.info({ devices: loops.map((l) => l.config.id) }, 'modbus polling started');
      return Promise.resolve();
    },
    stop() {
      if (!isRunning) return stopping ?? Promise.resolve();
      isRunning = false;
      for (const loop of loops) clearTimeout(loop.timer);
      stopping = (async () => {
        // A poll in flight ends within one request timeout (it checks isRunning between requests).
        await Promise.all(loops.map((loop) => loop.polling ?? Promise.resolve()));
        await Promise.all(loops.map((loop) => loop.client.close()));
        log.info({ devices: loops.length }, 'modbus polling stopped');
      })();
      return stopping;
    },
    statuses() {
      return loops.map((loop) => ({ ...loop.state }));
    },
  };
}
