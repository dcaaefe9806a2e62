import { join } from 'node:path';
import type { ChannelCredentials } from '@grpc/grpc-js';
import type { Logger } from '@coupler/kit';
import { buildApi, type ApiKey, type LocalApi } from './api/index.js';
import { GrowthEstimator, LmdbBuffer, registerBufferMetrics } from './buffer/index.js';
import { Bus, COMMAND_TOPIC_FILTER, commandResultTopic, parseCommandTopic, type BusUser } from './bus/index.js';
import { withDesiredConfig, type DesiredConfig, type FrozenEdgeConfig } from './config/index.js';
import { createArduinoDevices, durableReadingStore } from './devices/arduino/index.js';
import { createModbusPoller } from './devices/modbus/index.js';
import { EnergyPeriods, fileClockStatus, fixedPosition } from './energy/index.js';
import { createDesiredPart } from './gateway-desired.js';
import { createNodeRedPart } from './gateway-nodered.js';
import type { NodeRedStatus } from './nodered/index.js';
import { createMetricsRegistry } from './observability/index.js';
import { LiveConfig, type ReloadOutcome, type ReloadResult } from './live-config.js';
import { readTlsFiles, resolveSecrets } from './security/index.js';
import { SyncClient, syncCredentials } from './sync/index.js';

export interface GatewayDeps {
  logger: Logger;
  softwareVersion: string;
  now?: () => number;
  /**
   * The gateway's own file and environment with the cloud's desired configuration over them
   * (null: alone); throws ConfigError. main.ts passes loadEdgeConfig; without it, the
   * configuration given to createGateway stands for the file.
   */
  loadConfig?: (desired: DesiredConfig | null) => FrozenEdgeConfig;
}

export interface Gateway {
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Loads, validates and applies a new configuration (SIGHUP, file change): live settings take
   * effect, restart-only changes are reported, a bad configuration leaves the running one.
   */
  reload(load: () => FrozenEdgeConfig): Promise<ReloadResult>;
  /** Bound ports, useful when the configuration asked for port 0. */
  ports(): { mqtt: number; mqttTls: number; http: number };
  /** The Node-RED child's state, pid and port; undefined when nodeRed.enabled is false. */
  nodeRed(): NodeRedStatus | undefined;
}

interface Part {
  name: string;
  isRequired: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The composition root (STYLE §10.1): builds every capability, hands each the interfaces it
 * needs, and starts them in dependency order. Optional parts that fail to start are logged
 * and marked failed; the rest run (STYLE §10.2).
 */
export function createGateway(config: FrozenEdgeConfig, deps: GatewayDeps): Gateway {
  const { logger } = deps;
  const now = deps.now ?? Date.now;
  const registry = createMetricsRegistry({ version: deps.softwareVersion, gatewayId: config.gateway.id });

  const buffer = new LmdbBuffer({ dataDir: config.dataDir, gatewayId: config.gateway.id, quotaBytes: config.buffer.quotaBytes, commitIntervalMs: config.buffer.commitIntervalMs });
  const growth = new GrowthEstimator();
  const bufferStats = () => {
    if (!buffer.isOpen()) return undefined;
    const stats = buffer.stats();
    growth.sample(now(), stats.bytes);
    return stats;
  };
  const secondsUntilFull = () => {
    const stats = bufferStats();
    return stats && growth.secondsUntilFull(stats.bytes, stats.quotaBytes);
  };
  const { dropped } = registerBufferMetrics(registry, { stats: bufferStats, secondsUntilFull, now });
  buffer.onDropped((lane, count) => {
    dropped.inc({ lane, reason: 'quota' }, count);
    logger.warn({ lane, count, quotaBytes: config.buffer.quotaBytes }, 'buffer over quota, oldest records dropped');
  });
  buffer.onQuotaFailed((err) => {
    logger.error({ err }, 'buffer drop policy failed; the buffer stays over its quota until the next commit');
  });
  // Filled by the 'secrets' part at start: configured credentials, plus generated ones in development mode.
  const busUsers = new Map<string, BusUser>();
  const apiKeys: ApiKey[] = [];
  const bus = new Bus(
    {
      host: config.bus.host,
      port: config.bus.port,
      allowAnonymous: config.bus.allowAnonymous,
      limits: config.bus.limits,
      tls: config.bus.tls && { host: config.bus.tls.host, port: config.bus.tls.port, ...readTlsFiles(config.bus.tls) },
    },
    { logger: logger.child({ module: 'bus' }), registry, ingest: buffer, credentials: { user: (name) => busUsers.get(name) }, now },
  );
  // One enrolment and one certificate for the sync stream and the artifact downloads; a failure is tried again at the next call.
  let pendingCredentials: Promise<ChannelCredentials> | undefined;
  const channelCredentials = () =>
    (pendingCredentials ??= syncCredentials({ tls: config.sync.tls, gatewayId: config.gateway.id, identityDir: join(config.dataDir, 'identity'), enrolment: config.sync.enrolment }, logger.child({ module: 'sync' })).catch((err: unknown) => {
      pendingCredentials = undefined;
      throw err;
    }));
  const sync = new SyncClient(
    { ...config.sync, gatewayId: config.gateway.id, softwareVersion: deps.softwareVersion },
    {
      logger: logger.child({ module: 'sync' }),
      registry,
      devices: () => [
        ...modbus.statuses().map((d) => ({ deviceId: d.deviceId, kind: 'modbus', status: d.status, lastError: d.lastError ?? '' })),
        ...arduino.statuses().map((d) => ({ deviceId: d.deviceId, kind: 'arduino', status: d.status, firmwareVersion: d.firmwareVersion ?? '', lastError: d.lastError ?? '' })),
      ],
      channelCredentials,
      desired: { apply: (state) => { desired.applier.apply(state); }, report: () => desired.applier.report(), onReportChanged: (listener) => desired.applier.onReportChanged(listener) },
      backlog: {
        batchAfter: (lane, after, limit) => buffer.batchAfter(lane, after, limit),
        acknowledge: (ranges, lane) => buffer.acknowledge(ranges, lane),
        advanceSequence: (highest) => buffer.advanceSequence(highest),
        renumber: (ranges, highest) => buffer.renumber(ranges, highest),
        onAppended: (listener) => buffer.onAppended(listener),
        firstSequence: () => buffer.stats().firstSequence,
        state: () => {
          const stats = buffer.stats();
          return { ...stats, secondsUntilQuotaFull: secondsUntilFull() };
        },
      },
      now,
    },
  );
  const { fixedPosition: position } = config.energy;
  const energy = new EnergyPeriods(
    { meters: config.energy.meters.map((meter) => ({ ...meter })), boundaryToleranceMs: config.energy.boundaryToleranceMs, stateFile: join(config.dataDir, 'energy-periods.json') },
    {
      logger: logger.child({ module: 'energy' }),
      registry,
      publish: (record) => bus.publish(record),
      clock: fileClockStatus(config.energy.clockSyncFile),
      position: position && fixedPosition(position.latitude, position.longitude, now),
    },
  );
  const pollerSettings = (settings: FrozenEdgeConfig) => ({ devices: settings.modbus.devices.map((device) => ({ ...device })), profileDirs: settings.modbus.profileDirs });
  const modbus = createModbusPoller(
    { ...pollerSettings(config), buses: config.modbus.buses.map((bus) => ({ ...bus })) },
    {
      logger: logger.child({ module: 'modbus' }),
      registry,
      publish: (reading) => {
        energy.observe(reading);
        return bus.publish(reading);
      },
      now,
    },
  );
  const arduino = createArduinoDevices(
    { devices: config.arduino.devices, reopenMaxMs: config.arduino.reopenMaxMs },
    {
      logger: logger.child({ module: 'arduino' }),
      registry,
      // Once per (device, boot, sequence), and on disk before the device gets its ACK (firmware/PROTOCOL.md §4);
      // then on the bus for local subscribers.
      store: durableReadingStore(buffer, bus, (err, reading) => {
        logger.warn({ err, deviceId: reading.deviceId }, 'arduino reading stored but not delivered to local subscribers');
      }),
      now,
    },
  );
  const nodeRed = config.nodeRed.enabled
    ? createNodeRedPart(config, { logger: logger.child({ module: 'nodered' }), registry, busUsers, busPort: () => bus.port() })
    : undefined;
  const desired = createDesiredPart(config, {
    logger: logger.child({ module: 'desired' }),
    registry,
    arduino,
    flows: nodeRed && { state: () => nodeRed.nodeRed.status().state, deploy: (flows) => nodeRed.deployFlows(flows), onDeployment: (listener) => nodeRed.nodeRed.onDeployment(listener) },
    channelCredentials,
    config: {
      loadConfig: deps.loadConfig ?? ((desired) => (desired === null ? config : withDesiredConfig(config, desired))),
      reload: async (load) => {
        // Never queued behind a stop: the stop waits for the applier, which would wait for this.
        if (request.isStopRequested) throw new Error('the gateway is stopping; the configuration is applied at the next start');
        const outcome = await reloadNow(load);
        if (!outcome) throw new Error('the gateway is stopping; the configuration is applied at the next start');
        return outcome;
      },
    },
    now,
  });
  const failed = new Set<string>();
  let api: LocalApi | undefined;
  // Only the configured users are replaced on reload: parts add their own (Node-RED's per-start user).
  const configuredUsers = new Set<string>();
  const applySecrets = async (settings: FrozenEdgeConfig): Promise<void> => {
    const resolved = await resolveSecrets(
      { mode: settings.security.mode, dataDir: settings.dataDir, busUsers: settings.bus.users, apiKeys: settings.api.keys },
      { logger: logger.child({ module: 'security' }) },
    );
    for (const name of configuredUsers) busUsers.delete(name);
    configuredUsers.clear();
    for (const user of resolved.busUsers) {
      busUsers.set(user.username, user);
      configuredUsers.add(user.username);
    }
    apiKeys.splice(0, apiKeys.length, ...resolved.apiKeys);
  };
  const liveConfig = new LiveConfig(config, {
    logger,
    registry,
    apply: async (next, paths, previous) => {
      // First the parts that can refuse. The poller builds its new loops before it stops the
      // old ones, so a refusal changes nothing; a bad template leaves the flows as they were.
      const isPollerChanged = paths.includes('modbus.devices') || paths.includes('modbus.profileDirs');
      if (isPollerChanged) await modbus.reconfigure(pollerSettings(next));
      try {
        if (paths.includes('nodeRed.flows')) await nodeRed?.deployFlows(next.nodeRed.flows);
      } catch (err) {
        if (isPollerChanged) await modbus.reconfigure(pollerSettings(previous));
        throw err;
      }
      if (paths.includes('energy.meters')) energy.setMeters(next.energy.meters.map((meter) => ({ ...meter })));
      if (paths.includes('api.keys') || paths.includes('bus.users')) await applySecrets(next);
      if (paths.includes('log.level')) logger.level = next.log.level;
    },
  });

  const parts: Part[] = [
    {
      name: 'secrets',
      isRequired: true,
      start: async () => {
        await applySecrets(config);
      },
      stop: () => Promise.resolve(),
    },
    {
      name: 'buffer',
      isRequired: true,
      start: () => {
        buffer.open();
        return Promise.resolve();
      },
      stop: () => buffer.close(),
    },
    { name: 'bus', isRequired: true, start: () => bus.start(), stop: () => bus.stop() },
    // After the bus it logs in to, and stopped before it.
    ...(nodeRed ? [nodeRed.part] : []),
    { name: 'sync', isRequired: false, start: () => sync.start(), stop: () => sync.stop() },
    // Before modbus, so it takes the first readings, and stopped after it, so it saves the last.
    { name: 'energy', isRequired: false, start: () => energy.start(), stop: () => energy.stop() },
    { name: 'modbus', isRequired: false, start: () => modbus.start(), stop: () => modbus.stop() },
    {
      name: 'arduino',
      isRequired: false,
      start: async () => {
        await arduino.start();
        // Commands from local services reach the Arduino; its answer goes back on the bus (docs/topics.md).
        await bus.subscribeLocally(COMMAND_TOPIC_FILTER, (topic, payload) => {
          const target = parseCommandTopic(topic);
          if (!target || !arduino.has(target.deviceId)) return;
          arduino
            .command(target.deviceId, target.command, payload)
            .then((outcome) => bus.publishLocally(commandResultTopic(target.deviceId), Buffer.from(JSON.stringify(outcome))))
            .catch((err: unknown) => {
              logger.warn({ err, topic }, 'arduino command result not published');
            });
        });
      },
      stop: () => arduino.stop(),
    },
    // After the Arduinos (it flashes through their ports) and Node-RED (it deploys flows to it).
    desired.part,
    {
      name: 'api',
      isRequired: false,
      start: async () => {
        const app = buildApi(
          {
            metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
            dependencies: () => [
              { name: 'buffer', isUp: buffer.isOpen(), isRequired: true },
              { name: 'bus', isUp: bus.port() > 0, isRequired: true },
              // The cloud being away is normal on a train: visible, but not a readiness failure.
              { name: 'sync', isUp: sync.status().state === 'streaming', isRequired: false, detail: sync.status().state },
              ...(nodeRed ? [{ name: 'nodered', isUp: nodeRed.nodeRed.status().state === 'running', isRequired: false, detail: nodeRed.nodeRed.status().state }] : []),
              ...[...failed].map((name) => ({ name, isUp: false, isRequired: false, detail: 'failed to start' })),
            ],
            buffer: () => buffer.stats(),
            sync: () => sync.status(),
            devices: () => [...modbus.statuses(), ...arduino.statuses()],
            nodeRed: () => (nodeRed ? { enabled: true, ...nodeRed.nodeRed.report() } : { enabled: false }),
            quarantine: () => bus.quarantined(),
            clearQuarantine: (deviceId) => bus.clearQuarantine(deviceId),
          },
          { logger: logger.child({ module: 'api' }), keys: { keys: () => apiKeys } },
          { corsOrigins: config.api.corsOrigins, rateLimitPerMinute: config.api.rateLimitPerMinute, bodyLimitBytes: config.api.bodyLimitBytes, softwareVersion: deps.softwareVersion, https: config.api.tls && readTlsFiles(config.api.tls) },
        );
        api = app;
        await app.listen({ host: config.api.host, port: config.api.port });
      },
      stop: async () => {
        await api?.close();
      },
    },
  ];
  const started: Part[] = [];
  // start() and stop() run one after the other: a stop during a start waits for it, so a
  // SIGTERM while starting closes every part that came up and nothing starts afterwards.
  let lifecycle: Promise<unknown> = Promise.resolve();
  // An object, not a let: it changes across awaits, which control-flow narrowing cannot see.
  const request = { isStopRequested: false };

  const stopStarted = async (): Promise<void> => {
    // Stop intake first (devices, bus), then the stream, then close the buffer last.
    for (const part of started.splice(0).reverse()) {
      try {
        await part.stop();
      } catch (err) {
        logger.error({ err, part: part.name }, 'part failed to stop');
      }
    }
  };

  const startAll = async (): Promise<void> => {
    for (const part of parts) {
      if (request.isStopRequested) return;
      try {
        await part.start();
        started.push(part);
      } catch (err) {
        if (part.isRequired) {
          await stopStarted();
          throw err;
        }
        failed.add(part.name);
        logger.error({ err, part: part.name }, 'part failed to start; the others run on');
      }
    }
  };

  /** After a start or stop in progress, never during one; undefined once a stop was asked for. */
  function reloadNow(load: () => FrozenEdgeConfig): Promise<ReloadOutcome | undefined> {
    const run = lifecycle.then(() => (request.isStopRequested ? undefined : liveConfig.reload(load)));
    lifecycle = run.catch(() => undefined);
    return run;
  }

  const gateway: Gateway = {
    start() {
      request.isStopRequested = false;
      const run = lifecycle.then(startAll).then(() => {
        if (!request.isStopRequested) logger.info({ gatewayId: config.gateway.id, ports: gateway.ports() }, 'gateway started');
      });
      lifecycle = run.catch(() => undefined);
      return run;
    },
    stop() {
      request.isStopRequested = true;
      const run = lifecycle.then(stopStarted);
      lifecycle = run;
      return run;
    },
    reload(load) {
      return reloadNow(load).then((outcome) => outcome?.result ?? 'refused');
    },
    ports() {
      const address = api?.server.address();
      return { mqtt: bus.port(), mqttTls: bus.tlsPort(), http: typeof address === 'object' && address ? address.port : 0 };
    },
    nodeRed() {
      return nodeRed?.nodeRed.status();
    },
  };
  return gateway;
}
