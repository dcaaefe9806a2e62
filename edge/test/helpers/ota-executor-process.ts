// The OTA executor as its own process, so a test can SIGKILL it in the middle of flashing and
// start it again: `node --conditions=development --import tsx ota-executor-process.ts <json>`.
// Prints every report as one JSON line on stdout, then exits 0 after the outcome.
import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { createLogger, type ArtifactManifest } from '@coupler/kit';
import { LmdbBuffer } from '../../src/buffer/index.js';
import { ArduinoPort, createArduinoMetrics } from '../../src/devices/arduino/index.js';
import { arduinoFirmwareTarget } from '../../src/gateway-ota.js';
import { FirmwareExecutor, type ArtifactSource, type SignedArtifact } from '../../src/ota/index.js';

export interface ExecutorProcessArguments {
  mode: 'apply' | 'resume';
  dataDir: string;
  path: string;
  lockPath: string;
  publicKeyPem: string;
  helloTimeoutMs: number;
  factory: ArtifactFile;
  target: ArtifactFile;
}

export interface ArtifactFile {
  manifest: ArtifactManifest;
  signatureBase64: string;
  file: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as ExecutorProcessArguments;
const signed = (a: ArtifactFile): SignedArtifact => ({ manifest: a.manifest, signature: Buffer.from(a.signatureBase64, 'base64') });

// FAKE of the cloud's artifact store (not part of the gateway): artifact files on this disk.
const files = new Map([args.factory, args.target].map((a) => [a.manifest.sha256, readFileSync(a.file)]));
const source: ArtifactSource = {
  readChunk: (sha256, offset, maxBytes) => {
    const content = files.get(sha256);
    return content ? Promise.resolve(content.subarray(offset, offset + maxBytes)) : Promise.reject(new Error(`no artifact ${sha256}`));
  },
};

const buffer = new LmdbBuffer({ dataDir: args.dataDir, gatewayId: 'gw-test', quotaBytes: 1 << 30 });
buffer.open();
const port = new ArduinoPort(
  { deviceId: 'car1-doors', path: args.path, baudRate: 115200, intervalMs: 200, channelMask: 0x3f, reopenInitialMs: 50, reopenMaxMs: 500 },
  {
    logger: createLogger({ name: 'ota-process', level: 'silent' }),
    metrics: createArduinoMetrics(new Registry()),
    store: {
      storeFromSource: async (from, readings) => {
        const outcome = await buffer.appendFromSource(`arduino:${from}`, readings);
        return { stored: outcome.records.length, duplicates: outcome.duplicates };
      },
    },
    now: Date.now,
  },
);
await port.start();
const executor = new FirmwareExecutor(
  { deviceId: 'car1-doors', dataDir: args.dataDir, publicKey: args.publicKeyPem, updateLockPath: args.lockPath, helloTimeoutMs: args.helloTimeoutMs, chunkBytes: 4096 },
  { source, target: arduinoFirmwareTarget(port), report: (report) => { process.stdout.write(`${JSON.stringify(report)}\n`); }, logger: createLogger({ name: 'ota-process', level: 'silent' }), now: Date.now },
);
if (args.mode === 'apply') {
  if (!executor.installed()) executor.adoptInstalled(signed(args.factory), readFileSync(args.factory.file));
  await executor.apply(signed(args.target));
} else {
  const outcome = await executor.resume();
  if (!outcome) process.stdout.write(`${JSON.stringify({ kind: 'nothing-to-resume' })}\n`);
}
await port.stop();
await buffer.close();
