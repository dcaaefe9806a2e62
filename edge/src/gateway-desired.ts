import { join } from 'node:path';
import type { ChannelCredentials } from '@grpc/grpc-js';
import type { Logger } from '@coupler/kit';
import type { Registry } from 'prom-client';
import { gatewayClient, type ArtifactServiceClient } from '@coupler/proto';
import type { FrozenEdgeConfig } from './config/index.js';
import { DesiredStateApplier, type FirmwareUpdater, type ProgressListener } from './desired/index.js';
import type { ArduinoDevices } from './devices/arduino/index.js';
import { createConfigUpdater, type ConfigUpdaterDeps } from './gateway-desired-config.js';
import { createFlowsUpdater, type FlowsDeployment } from './gateway-desired-flows.js';
import { readFleetKey, type FleetKey } from './gateway-fleet-key.js';
import { arduinoFirmwareTarget } from './gateway-ota.js';
import { createOtaMetrics, FirmwareExecutor, grpcArtifactSource, manifestRefusal, type ArtifactSource, type FirmwareReport } from './ota/index.js';

/**
 * coupler.ota.v1.ArtifactService/ReadChunk on the sync stream's address, with its credentials
 * (mTLS with the gateway's certificate); the client is made at the first chunk.
 */
function cloudArtifactSource(cloudUrl: string, channelCredentials: () => Promise<ChannelCredentials>): { source: ArtifactSource; close(): void } {
  let client: Promise<ArtifactServiceClient> | undefined;
  const clientOf = () =>
    (client ??= channelCredentials().then(
      (credentials) => new (gatewayClient('coupler.ota.v1.ArtifactService'))(cloudUrl, credentials),
      (err: unknown) => {
        client = undefined;
        throw err;
      },
    ));
  return {
    source: { readChunk: async (sha256, offset, maxBytes) => grpcArtifactSource(await clientOf()).readChunk(sha256, offset, maxBytes) },
    close: () => {
      void client?.then((c) => { c.close(); }, () => undefined);
    },
  };
}

/** One Arduino's firmware through ota's executor; its step reports become the item's progress. */
function firmwareUpdater(deviceId: string, executorOf: (report: (r: FirmwareReport) => void) => FirmwareExecutor, fleetKey: () => FleetKey): FirmwareUpdater {
  const relay: { listener: ProgressListener | undefined; lastStep: string } = { listener: undefined, lastStep: '' };
  let executor: FirmwareExecutor | undefined;
  const executorNow = () =>
    (executor ??= executorOf((report) => {
      if (report.kind !== 'step') return;
      relay.lastStep = report.step;
      relay.listener?.({ step: report.step, ...(report.status === 'failed' && report.detail ? { reason: report.detail } : {}) });
    }));
  const withProgress = async (listener: ProgressListener, work: (e: FirmwareExecutor) => Promise<{ outcome: FirmwareReport & { kind: 'outcome' } } | undefined>) => {
    relay.listener = listener;
    relay.lastStep = '';
    try {
      const ended = await work(executorNow());
      return ended && { outcome: ended.outcome.outcome, step: relay.lastStep, ...(ended.outcome.reason === undefined ? {} : { reason: ended.outcome.reason }) };
    } finally {
      relay.listener = undefined;
    }
  };
  return {
    deviceId,
    resume: (listener) => withProgress(listener, async (e) => {
      const outcome = await e.resume();
      return outcome && { outcome };
    }),
    apply: async (artifact, listener) => {
      const key = fleetKey();
      if ('problem' in key) return { outcome: 'refused', step: 'verify', reason: key.problem, isFinal: false };
      // Already on the device (an earlier update, or the same state again): signed for it, and then the device is not touched.
      if (executorNow().installed()?.sha256 === artifact.manifest.sha256 && !executorNow().pending()) {
        const refusal = manifestRefusal(artifact, key.key, 'arduino-firmware');
        return refusal === undefined ? { outcome: 'done', step: '' } : { outcome: 'refused', step: 'verify', reason: refusal };
      }
      const result = await withProgress(listener, async (e) => {
        // An update of another version that an earlier run left half done is finished first.
        if (e.pending() && e.pending()?.sha256 !== artifact.manifest.sha256) await e.resume();
        return { outcome: await e.apply(artifact) };
      });
      if (!result) throw new Error('the firmware executor ended without an outcome');
      return result;
    },
  };
}

/**
 * Part of the composition root (gateway.ts): the desired-state applier with one firmware
 * updater per configured Arduino (ota's executor flashing through the Arduino's port) and the
 * flows updater (ota's verified download, then Node-RED's deployment), the configuration updater
 * (the same download, then the gateway's reload). Artifacts come from the
 * cloud's ArtifactService on the sync address and credentials.
 */
export function createDesiredPart(
  config: FrozenEdgeConfig,
  deps: { logger: Logger; registry: Registry; arduino: ArduinoDevices; flows: FlowsDeployment | undefined; config: Pick<ConfigUpdaterDeps, 'loadConfig' | 'reload'>; channelCredentials: () => Promise<ChannelCredentials>; now: () => number },
): { applier: DesiredStateApplier; part: { name: string; isRequired: boolean; start(): Promise<void>; stop(): Promise<void> } } {
  const { ota } = config;
  let fleetKey: FleetKey | undefined;
  const keyNow = () => (fleetKey ??= readFleetKey(ota));
  const artifacts = cloudArtifactSource(config.sync.cloudUrl, deps.channelCredentials);
  const otaMetrics = createOtaMetrics(deps.registry);
  const firmware = config.arduino.devices.map((device) =>
    firmwareUpdater(device.id, (report) => {
      const port = deps.arduino.port(device.id);
      if (!port) throw new Error(`no Arduino ${device.id} is configured`);
      const key = keyNow();
      return new FirmwareExecutor(
        { deviceId: device.id, dataDir: config.dataDir, publicKey: 'key' in key ? key.key : '', updateLockPath: ota.updateLockPath, helloTimeoutMs: ota.helloTimeoutMs },
        {
          source: artifacts.source,
          target: arduinoFirmwareTarget(port),
          report: (r) => {
            otaMetrics.count(r);
            report(r);
          },
          logger: deps.logger.child({ deviceId: device.id }),
          now: deps.now,
        },
      );
    }, keyNow),
  );
  const folder = join(config.dataDir, 'ota', 'downloads');
  const flows = deps.flows && createFlowsUpdater({ deployment: deps.flows, source: artifacts.source, folder, fleetKey: keyNow });
  const configUpdater = createConfigUpdater({ ...deps.config, dataDir: config.dataDir, source: artifacts.source, folder, fleetKey: keyNow, logger: deps.logger });
  const applier = new DesiredStateApplier(
    { stateFile: join(config.dataDir, 'desired-state.json'), retryInitialMs: ota.retryInitialMs, retryMaxMs: ota.retryMaxMs },
    { logger: deps.logger, firmware, flows, config: configUpdater, now: deps.now },
  );
  return {
    applier,
    part: {
      name: 'desired',
      isRequired: false,
      start: () => {
        const key = keyNow();
        if ('problem' in key) deps.logger.warn({ reason: key.problem }, 'desired firmware, flows and configuration will be refused');
        return applier.start();
      },
      stop: async () => {
        await applier.stop();
        artifacts.close();
      },
    },
  };
}
