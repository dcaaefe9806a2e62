// The OTA executor as its own process, so a test can SIGKILL it in the middle of flashing and
// start it again: `node --conditions=development --import tsx ota-executor-process.ts <json>`.
// Prints every report as one JSON line on stdout. Modes: apply (the target, then exit 0),
// resume (the unfinished job, then exit 0), follow (each desired artifact read as a JSON line
// on stdin, a stand-in for the sync stream's desired state, until stdin ends).
import { createInterface } from 'node:readline';
import { credentials } from '@grpc/grpc-js';
import { loadCouplerProto } from '@coupler/proto';
import { readFileSync } from 'node:fs';
import { Registry } from 'prom-client';
import { createLogger, type ArtifactManifest } from '@coupler/kit';
import { LmdbBuffer } from '../../src/buffer/index.js';
import { ArduinoPort, createArduinoMetrics } from '../../src/devices/arduino/index.js';
import { arduinoFirmwareTarget } from '../../src/gateway-ota.js';
import { FirmwareExecutor, grpcArtifactSource, type ArtifactSource, type SignedArtifact } from '../../src/ota/index.js';

export interface ExecutorProcessArguments {
  mode: 'apply' | 'resume' | 'follow';
  /** The cloud's ArtifactService (host:port); without it, artifacts are read from their files. */
  cloudAddress?: string;
  dataDir: string;
  path: string;
  lockPath: string;
  publicKeyPem: string;
  helloTimeoutMs: number;
  factory: ArtifactFile;
  target?: ArtifactFile;
}

export interface ArtifactFile {
  manifest: ArtifactManifest;
  signatureBase64: string;
  file?: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as ExecutorProcessArguments;
const signed = (a: ArtifactFile): SignedArtifact => ({ manifest: a.manifest, signature: Buffer.from(a.signatureBase64, 'base64') });

// Without cloudAddress: FAKE of the cloud's artifact store (not part of the gateway), artifact files on this disk.
const files = new Map([args.factory, args.target].flatMap((a) => (a?.file ? [[a.manifest.sha256, readFileSync(a.file)] as const] : [])));
const cloud = args.cloudAddress === undefined ? undefined : new (loadCouplerProto().ota.ArtifactService)(args.cloudAddress, credentials.createInsecure());
const source: ArtifactSource = cloud
  ? grpcArtifactSource(cloud)
  : {
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
if (!executor.installed()) executor.adoptInstalled(signed(args.factory), files.get(args.factory.manifest.sha256) ?? new Uint8Array(0));
if (args.mode === 'apply' && args.target) {
  await executor.apply(signed(args.target));
} else if (args.mode === 'resume') {
  const outcome = await executor.resume();
  if (!outcome) process.stdout.write(`${JSON.stringify({ kind: 'nothing-to-resume' })}\n`);
} else {
  for await (const line of createInterface({ input: process.stdin })) {
    await executor.apply(signed(JSON.parse(line) as ArtifactFile)).catch((err: unknown) => {
      process.stdout.write(`${JSON.stringify({ kind: 'error', message: (err as Error).message })}\n`);
    });
  }
}
await port.stop();
await buffer.close();
cloud?.close();
