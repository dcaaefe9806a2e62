import type { Registry } from 'prom-client';
import type { Logger } from '@coupler/kit';
import type { Reading, SignalValue } from '../../records/index.js';
import {
  createModbusMetrics,
  DEVICE_STATUSES,
  type DeviceStatus,
  type ModbusMetrics,
} from './metrics.js';
import { DueQueue } from '../../lib/index.js';
import {
  createDeviceLoop,
  isGroupDue,
  type DeviceLoop,
  type ModbusDeviceConfig,
  type ModbusDeviceStatus,
} from './device-loop.js';
import { decodeAnswer, type ReadRequest } from './read-plan.js';
import { RtuBus, type RtuBusOptions } from './rtu-bus.js';
import { classifyFailure, describeFailure } from './transport.js';

export interface ModbusPollerOptions {
  devices: readonly ModbusDeviceConfig[];
  /** Modbus RTU buses the devices with transport rtu name. */
  buses?: readonly RtuBusOptions[];
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

export interface ModbusPoller {
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * New devices or profile folders, taken live: the new loops are built first (a bad profile or
   * an unknown bus throws and nothing changes), then the old ones end and the new ones poll. The
   * RTU buses stay as they are (their ports change only at a restart).
   */
  reconfigure(next: { devices: readonly ModbusDeviceConfig[]; profileDirs: readonly string[] }): Promise<void>;
  statuses(): ModbusDeviceStatus[];
}

/** Consecutive failed polls after which a device counts as offline (one makes it degraded). */
export const OFFLINE_AFTER_FAILURES = 3;
// Application Protocol V1.1b3 §7: illegal function, data address, data value. Sending the same
// request again gets the same answer, so these are not retried.
const PERMANENT_EXCEPTIONS = new Set([1, 2, 3]);

/**
 * Polls Modbus devices over TCP or on shared RTU buses, one independent loop each. A failed
 * request is counted and, while the device is ok, sent again up to its retry limit; a degraded
 * or offline device gets one attempt per poll and, once offline, polls back off up to
 * MAX_RECONNECT_DELAY_MS. So a dead meter on an RTU bus costs the bus one timeout per back-off
 * step and the other units keep their rate. The status moves ok → degraded (1 failed poll) →
 * offline (3 in a row) and back to ok on success, logged once per change.
 */
export function createModbusPoller(
  initialOptions: ModbusPollerOptions,
  deps: ModbusPollerDeps,
): ModbusPoller {
  let options = initialOptions;
  const now = deps.now ?? Date.now;
  const log = deps.logger;
  let metrics: ModbusMetrics | undefined;
  let loops: DeviceLoop[] = [];
  // One timer for all devices: polls due together start in one timer callback.
  const queue = new DueQueue<DeviceLoop>(startPoll);
  let buses = new Map<string, RtuBus>();
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
      ...(loop.config.transport === 'rtu'
        ? { bus: loop.config.bus }
        : { host: loop.config.host, port: loop.config.port }),
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

  /** One request, sent again within the retry limit while the device is ok; every failure is counted. */
  async function readRequest(loop: DeviceLoop, request: ReadRequest): Promise<number[]> {
    const device = loop.config.id;
    const attempts = loop.state.status === 'ok' ? 1 + loop.retries : 1;
    for (let attempt = 1; ; attempt++) {
      const startedAt = performance.now();
      try {
        const words = await loop.client.read(request.kind, request.address, request.count);
        metrics?.requestDuration.observe(
          loop.labels.device,
          (performance.now() - startedAt) / 1000,
        );
        metrics?.requests.inc(loop.labels.ok);
        return words;
      } catch (err) {
        const result = classifyFailure(err);
        metrics?.requests.inc({ device, result });
        const code = (err as { modbusCode?: unknown }).modbusCode;
        const isPermanent = result === 'exception' && PERMANENT_EXCEPTIONS.has(Number(code));
        if (attempt >= attempts || isPermanent || !isRunning) throw err;
        metrics?.retries.inc({ device });
        // After a timeout or a socket error, a TCP client starts afresh; an RTU unit keeps the bus.
        if (result !== 'exception') await loop.client.close();
      }
    }
  }

  /** Reads the groups that are due; throws the first request that failed within its retries. */
  async function readAll(loop: DeviceLoop): Promise<SignalValue[]> {
    const startedAtMs = performance.now();
    const intervalMs = loop.config.pollIntervalMs;
    const values: SignalValue[] = [];
    for (const group of loop.groups) {
      if (!isGroupDue(group, startedAtMs, intervalMs)) continue;
      for (const request of group.plan) {
        if (!isRunning) throw new Error('stopped');
        decodeAnswer(request, await readRequest(loop, request), values);
      }
    }
    // Only a poll that read everything counts: after a failure the slow groups are due again.
    for (const group of loop.groups) {
      if (isGroupDue(group, startedAtMs, intervalMs)) group.lastReadAtMs = startedAtMs;
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
      loop.dueMs = performance.now() + delayMs;
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
    // Fixed rate: the next poll is due one interval after this one was due. On a shared RTU
    // bus a poll delayed behind another unit's timeout is made up, up to one interval behind;
    // over TCP (a connection of its own) a late poll is the gateway's own delay, and the
    // missed polls are skipped rather than sent in a burst.
    const maxLagMs = loop.config.transport === 'rtu' ? loop.config.pollIntervalMs : 0;
    loop.dueMs += loop.config.pollIntervalMs;
    if (loop.dueMs < performance.now() - maxLagMs) loop.dueMs = performance.now();
  }

  // A function, not the variable: stop() may run while start() awaits the ports.
  function isPollingWanted(): boolean {
    return isRunning;
  }

  function startPoll(loop: DeviceLoop): void {
    loop.polling = runPoll(loop);
  }

  async function runPoll(loop: DeviceLoop): Promise<void> {
    try {
      await pollOnce(loop);
    } catch (err) {
      // pollOnce handles device failures itself; reaching here is a bug, logged, and the loop goes on.
      log.error({ deviceId: loop.config.id, err }, 'modbus poll crashed');
    }
    loop.polling = undefined;
    // A loop replaced by reconfigure() ends with its poll in flight and is not queued again.
    if (isRunning && !loop.isRetired) queue.add(loop);
  }

  function createBus(bus: RtuBusOptions): RtuBus {
    const rtu = new RtuBus(bus, {
      logger: log.child({ bus: bus.id }),
      onOpened: () => {
        metrics?.busOpen.set({ bus: bus.id }, 1);
        metrics?.busOpens.inc({ bus: bus.id });
        // The port is back: devices that went offline with it are polled now, not after their back-off.
        for (const loop of loops) {
          if (loop.config.bus !== bus.id || loop.state.status === 'ok' || loop.queueIndex < 0)
            continue;
          loop.backoff.reset();
          loop.dueMs = performance.now();
          queue.add(loop);
        }
      },
      onClosed: () => metrics?.busOpen.set({ bus: bus.id }, 0),
    });
    return rtu;
  }

  return {
    async start() {
      if (isRunning) return;
      stopping = undefined;
      metrics ??= createModbusMetrics(deps.registry);
      buses = new Map((options.buses ?? []).map((bus) => [bus.id, createBus(bus)]));
      // Profiles are loaded here, so a bad one fails start() with its ConfigError and no loop runs.
      loops = options.devices.map((config) =>
        createDeviceLoop(config, { buses, profileDirs: options.profileDirs ?? [] }),
      );
      isRunning = true;
      for (const loop of loops) {
        for (const s of DEVICE_STATUSES)
          metrics.status.set({ device: loop.config.id, status: s }, s === 'ok' ? 1 : 0);
      }
      // Ports first, so the first polls find them open. A missing serial port is not a start
      // failure: its bus reopens it when it appears.
      await Promise.all([...buses.values()].map((bus) => bus.start()));
      if (!isPollingWanted()) return;
      // All devices start together, so those with the same interval stay in step and each
      // round of polls costs one timer callback rather than one per device.
      const firstDueMs = performance.now();
      for (const loop of loops) {
        loop.dueMs = firstDueMs;
        queue.add(loop);
      }
      log.info({ devices: loops.map((l) => l.config.id) }, 'modbus polling started');
    },
    async reconfigure(next) {
      const profileDirs = next.profileDirs;
      const fresh = isRunning
        ? next.devices.map((config) => createDeviceLoop(config, { buses, profileDirs }))
        : [];
      options = { ...options, devices: next.devices, profileDirs };
      if (!isRunning) return;
      const old = loops;
      loops = fresh;
      for (const loop of old) {
        loop.isRetired = true;
        queue.remove(loop);
      }
      await Promise.all(old.map((loop) => loop.polling ?? Promise.resolve()));
      await Promise.all(old.map((loop) => loop.client.close()));
      const kept = new Set(fresh.map((loop) => loop.config.id));
      for (const loop of old) {
        if (kept.has(loop.config.id)) continue;
        for (const s of DEVICE_STATUSES) metrics?.status.remove({ device: loop.config.id, status: s });
      }
      const firstDueMs = performance.now();
      for (const loop of fresh) {
        for (const s of DEVICE_STATUSES)
          metrics?.status.set({ device: loop.config.id, status: s }, s === 'ok' ? 1 : 0);
        loop.dueMs = firstDueMs;
        queue.add(loop);
      }
      log.info({ devices: fresh.map((l) => l.config.id) }, 'modbus polling reconfigured');
    },
    stop() {
      if (!isRunning) return stopping ?? Promise.resolve();
      isRunning = false;
      queue.clear();
      stopping = (async () => {
        // A poll in flight ends within one request timeout (it checks isRunning between requests).
        await Promise.all(loops.map((loop) => loop.polling ?? Promise.resolve()));
        await Promise.all(loops.map((loop) => loop.client.close()));
        await Promise.all([...buses.values()].map((bus) => bus.stop()));
        log.info({ devices: loops.length }, 'modbus polling stopped');
      })();
      return stopping;
    },
    statuses() {
      return loops.map((loop) => ({ ...loop.state }));
    },
  };
}
