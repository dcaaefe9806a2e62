// The runtime images' contents, proved without a Docker engine: deploy/stage-runtime.sh (what
// the Dockerfiles run) stages each image's /app tree into a temp folder, and the image's
// entrypoint starts the component from there with the variables balena would set. Needs a
// build first (`npm run build`, or `tsc -b` as `npm test` runs it).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { alertMetricNames } from './prometheus-rules.js';
import { freePort, metricNames, metricValue, REPO, stageRuntime, startProcess, tempDir, waitFor, type Started } from './staged-runtime.js';

const UUID = '0d6a3c2b9f8e4a71b5c3d2e1f0a9b8c7';
const API_KEY = 'staged-image-test-api-key';
const BUS_PASSWORD = 'staged-image-test-bus-password';
const THRESHOLD_PARAMETERS = { DEVICE_ID: 'meter-1', SIGNAL: 'voltageL1', THRESHOLD: 260 };

const edgeApp = tempDir('coupler-staged-edge-');
const cloudApp = tempDir('coupler-staged-cloud-');
// Removing two staged trees with their node_modules takes a while on a busy machine.
afterAll(() => {
  edgeApp.remove();
  cloudApp.remove();
}, 180_000);

/** The staged edge's own `--hash-secret`, as an operator runs it to fill COUPLER_API_KEYS. */
function hashSecret(secret: string): string {
  const run = spawnSync('node', [join(edgeApp.path, 'edge/dist/src/main.js'), '--hash-secret'], { input: `${secret}\n`, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.trim();
}

/** Stops a started process with SIGTERM (what balena sends) and returns how it exited. */
async function stopWithSigterm(started: Started): Promise<{ code: number | null; elapsedMs: number }> {
  const t0 = Date.now();
  started.child.kill('SIGTERM');
  const { code } = await started.exited;
  return { code, elapsedMs: Date.now() - t0 };
}

/** What balena gives the edge container: device UUID, fleet variables with hashed secrets. */
async function balenaEdgeEnv(dataDir: string, apiPort: number): Promise<Record<string, string>> {
  return {
    BALENA: '1',
    BALENA_DEVICE_UUID: UUID,
    COUPLER_DATA_DIR: join(dataDir, 'edge'),
    COUPLER_API_PORT: String(apiPort),
    COUPLER_BUS_PORT: String(await freePort()),
    COUPLER_API_KEYS: JSON.stringify([{ name: 'ops', hash: hashSecret(API_KEY), role: 'admin' }]),
    COUPLER_BUS_USERS: JSON.stringify([{ username: 'node-red', passwordHash: hashSecret(BUS_PASSWORD), role: 'service' }]),
  };
}

function killOnFinish(started: Started): void {
  onTestFinished(() => {
    if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
  });
}

beforeAll(() => {
  stageRuntime('edge', edgeApp.path);
  stageRuntime('cloud', cloudApp.path);
}, 120_000);

describe('staged runtime trees (the images\' /app)', () => {
  it('hold each component\'s build, production dependencies and deploy scripts, and no dev tools', () => {
    for (const [app, component] of [[edgeApp.path, 'edge'], [cloudApp.path, 'cloud']] as const) {
      for (const path of [`${component}/dist/src/main.js`, ...(component === 'edge' ? ['edge/dist/src/main.bundle.js', 'edge/dist/src/vendor.bundle.cjs'] : []), 'kit/dist', 'proto/dist', 'node_modules/lmdb', `deploy/${component}/entrypoint.sh`, 'deploy/lmdb-backup.mjs']) {
        expect(existsSync(join(app, path)), `${component}: ${path}`).toBe(true);
      }
      expect(statSync(join(app, `deploy/${component}/entrypoint.sh`)).mode & 0o111).toBe(0o111);
      for (const devOnly of ['node_modules/vitest', 'node_modules/eslint', 'node_modules/tsx', 'node_modules/prettier', `${component}/dist/test`, `${component}/src`]) {
        expect(existsSync(join(app, devOnly)), `${component}: ${devOnly}`).toBe(false);
      }
    }
    expect(existsSync(join(edgeApp.path, 'edge/dist/src/devices/modbus/profiles/eastron-sdm630.yaml'))).toBe(true);
    const testFiles = spawnSync('find', [join(edgeApp.path, 'edge/dist'), join(cloudApp.path, 'cloud/dist'), '-name', '*.test.*'], { encoding: 'utf8' });
    expect(testFiles.stdout).toBe('');
    expect(existsSync(join(edgeApp.path, 'deploy/edge/udev.sh'))).toBe(true);
    expect(existsSync(join(edgeApp.path, 'flows/templates/threshold-alarm/flow.json'))).toBe(true);
    expect(existsSync(join(edgeApp.path, 'flows/nodes/node-red-coupler/nodes/coupler-record-out.js'))).toBe(true);
    expect(existsSync(join(cloudApp.path, 'edge'))).toBe(false);
  });
});

describe('edge image bundle', () => {
  // Identifiers are minified (decision 0026): keepNames must give classes and functions their
  // names back, and the linked source map must lead a stack frame to the TypeScript source.
  it('keeps class and function names and links a source map to the TypeScript sources', () => {
    const bundle = readFileSync(join(edgeApp.path, 'edge/dist/src/main.bundle.js'), 'utf8');
    expect(bundle).not.toContain('class LmdbBuffer');
    expect(bundle).toMatch(/\w+\(this,"LmdbBuffer"\)/);
    expect(bundle).toMatch(/\w+\(\w+,"checkConfig"\)/);
    expect(bundle.trimEnd().endsWith('//# sourceMappingURL=main.bundle.js.map')).toBe(true);
    const map = JSON.parse(readFileSync(join(edgeApp.path, 'edge/dist/src/main.bundle.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('../../src/buffer/lmdb-buffer.ts');
  });
});

describe('edge image entrypoint', () => {
  const entrypoint = () => join(edgeApp.path, 'deploy/edge/entrypoint.sh');

  it('on balena: gateway id from the device UUID, secrets from fleet variables, serves /metrics, stops on SIGTERM', async () => {
    const data = tempDir('coupler-staged-data-');
    onTestFinished(data.remove);
    const [apiPort, deadPort, nodeRedPort] = [await freePort(), await freePort(), await freePort()];
    const edge = startProcess(entrypoint(), [], {
      ...(await balenaEdgeEnv(data.path, apiPort)),
      // A meter nobody answers for: its status metric goes offline, as CouplerDeviceOffline expects.
      COUPLER_MODBUS_DEVICES: JSON.stringify([{ id: 'meter-1', profile: 'eastron-sdm630', host: '127.0.0.1', port: deadPort, pollIntervalMs: 200, timeoutMs: 100 }]),
      COUPLER_NODE_RED_ENABLED: 'true',
      COUPLER_NODE_RED_PORT: String(nodeRedPort),
      COUPLER_NODE_RED_CREDENTIAL_SECRET: 'staged-image-test-credential-secret',
      COUPLER_NODE_RED_FLOWS: JSON.stringify([{ name: 'overheat', template: 'threshold-alarm', parameters: THRESHOLD_PARAMETERS }]),
    }, { cwd: '/' }); // the entrypoint finds /app (here the staged tree) by itself
    killOnFinish(edge);
    const base = `http://127.0.0.1:${apiPort}`;
    await waitFor('/healthz', async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined), { timeoutMs: 20_000, started: edge });

    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    // Node-RED runs from the image's node_modules, with the flow template staged under /app/flows.
    await waitFor('Node-RED running', async () => {
      const ready = (await (await fetch(`${base}/readyz`)).json()) as { dependencies: Array<{ name: string; detail?: string }> };
      return ready.dependencies.find((d) => d.name === 'nodered')?.detail === 'running' ? true : undefined;
    }, { timeoutMs: 30_000, started: edge });
    const isDeployed = () => edge.output().split('\n').some((line) => line.includes('"msg":"flows deployed"') && line.includes('"overheat"'));
    await waitFor('flows deployed', () => Promise.resolve(isDeployed() ? true : undefined), { timeoutMs: 30_000, started: edge });
    const scrape = () => fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${API_KEY}` } }).then((r) => r.text());
    const text = await waitFor('coupler_device_status offline', async () => {
      const body = await scrape();
      return /coupler_device_status\{device="meter-1",status="offline"\} 1/.test(body) ? body : undefined;
    }, { timeoutMs: 20_000, started: edge });
    expect(text).toContain(`gateway="${UUID}"`);
    // Every coupler_* series the edge alert rules query is one this edge exports.
    const names = metricNames(text);
    expect([...alertMetricNames('coupler-edge')].filter((name) => !names.has(name))).toEqual([]);

    const stopped = await stopWithSigterm(edge);
    expect(stopped.code, edge.output()).toBe(0);
    expect(stopped.elapsedMs).toBeLessThan(10_000);
  }, 60_000);

  it('refuses to start a production gateway without secrets, naming the keys and the fleet variables', async () => {
    // As balena.yml creates the fleet: empty lists and an empty credential secret.
    const fleet = { COUPLER_API_KEYS: '[]', COUPLER_BUS_USERS: '[]', COUPLER_NODE_RED_ENABLED: 'true', COUPLER_NODE_RED_CREDENTIAL_SECRET: '' };
    const edge = startProcess(entrypoint(), [], { BALENA: '1', BALENA_DEVICE_UUID: UUID, COUPLER_DATA_DIR: '/nonexistent/never-created', ...fleet });
    killOnFinish(edge);
    const { code } = await edge.exited;
    expect(code).toBe(2);
    expect(edge.output()).toContain('api.keys: missing secret');
    expect(edge.output()).toContain('bus.users: missing secret');
    expect(edge.output()).toContain('nodeRed.credentialSecret: missing secret');
    expect(edge.output()).toContain('set the fleet variables: COUPLER_API_KEYS COUPLER_BUS_USERS COUPLER_NODE_RED_CREDENTIAL_SECRET');
  });

  it('on balena without a device UUID or gateway id: exits 2 and says what to set', async () => {
    const edge = startProcess(entrypoint(), [], { BALENA: '1' });
    const { code } = await edge.exited;
    expect(code).toBe(2);
    expect(edge.output()).toContain('BALENA_DEVICE_UUID is empty; set COUPLER_GATEWAY_ID');
  });

  it('lets an explicit COUPLER_GATEWAY_ID win over the device UUID', async () => {
    const edge = startProcess(entrypoint(), [], { BALENA: '1', BALENA_DEVICE_UUID: UUID, COUPLER_GATEWAY_ID: 'car 7' });
    const { code } = await edge.exited;
    expect(code).toBe(2);
    expect(edge.output()).toContain('gateway.id: must match pattern');
    expect(edge.output()).toContain('(got "car 7")');
  });

  it('goes on without udev when it cannot start it (not root, not privileged)', async () => {
    const edge = startProcess(entrypoint(), [], { UDEV: 'on', COUPLER_GATEWAY_ID: 'car-7' }, { uid: 65534, gid: 65534 });
    const { code } = await edge.exited;
    expect(edge.output()).toContain('udev: needs root');
    expect(edge.output()).toContain('udev set-up failed; USB serial replug will not be seen');
    // ...and node ran: the configuration check is what stopped it.
    expect(edge.output()).toContain('api.keys: missing secret');
    expect(code).toBe(2);
  });
});

describe('cloud image entrypoint', () => {
  const entrypoint = () => join(cloudApp.path, 'deploy/cloud/entrypoint.sh');

  it('starts the cloud on its embedded store, serves /metrics, stops on SIGTERM', async () => {
    const data = tempDir('coupler-staged-cloud-data-');
    onTestFinished(data.remove);
    const [httpPort, grpcPort] = [await freePort(), await freePort()];
    const cloud = startProcess(entrypoint(), [], { COUPLER_DATA_DIR: data.path, COUPLER_HTTP_PORT: String(httpPort), COUPLER_GRPC_PORT: String(grpcPort), COUPLER_GRPC_TLS: 'insecure' });
    killOnFinish(cloud);
    const text = await waitFor('cloud /metrics', async () => {
      const response = await fetch(`http://127.0.0.1:${httpPort}/metrics`);
      return response.ok ? response.text() : undefined;
    }, { timeoutMs: 20_000, started: cloud });
    const names = metricNames(text);
    expect(alertMetricNames('coupler-cloud').size).toBeGreaterThan(0);
    expect([...alertMetricNames('coupler-cloud')].filter((name) => !names.has(name))).toEqual([]);
    // The dashboard's script ships in dist (scripts/copy-assets.mjs): the image has no src/.
    const script = await fetch(`http://127.0.0.1:${httpPort}/dashboard/assets/dashboard.mjs`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('function drawEnergy');
    const stopped = await stopWithSigterm(cloud);
    expect(stopped.code, cloud.output()).toBe(0);
  }, 60_000);

  it('reads the PostgreSQL password from PGPASSWORD_FILE and refuses an unreadable one', async () => {
    const cloud = startProcess(entrypoint(), [], { PGPASSWORD_FILE: '/nonexistent/pg-password' });
    const { code } = await cloud.exited;
    expect(code).toBe(2);
    expect(cloud.output()).toContain('PGPASSWORD_FILE /nonexistent/pg-password cannot be read');
  });
});

describe('edge and cloud images together', () => {
  it('the edge\'s vendor bundle reads and writes 64-bit fields without long, as protobufjs does with it', async () => {
    const vendor = (createRequire(join(edgeApp.path, 'edge/dist/src/main.bundle.js'))('./vendor.bundle.cjs') as { protobuf: typeof protobuf }).protobuf;
    const withLong = createRequire(join(REPO, 'package.json'))('protobufjs') as typeof protobuf;
    expect(vendor.util.Long).toBeNull();
    expect(withLong.util.Long).not.toBeNull();
    const { COUPLER_DESCRIPTOR } = (await import(join(edgeApp.path, 'proto/dist/generated/descriptor.js'))) as { COUPLER_DESCRIPTOR: protobuf.INamespace };
    const [ours, reference] = [vendor, withLong].map((build) => build.Root.fromJSON(COUPLER_DESCRIPTOR).lookupType('coupler.sync.v1.SyncResponse')) as [protobuf.Type, protobuf.Type];
    const ack = { batchId: 2 ** 40 + 3, stored: [{ first: 1, last: 2 ** 53 - 1 }], conflicting: [{ first: 2 ** 32, last: 2 ** 32 + 1 }], highestStoredSequence: 2 ** 53 - 1 };
    const bytes = Buffer.from(reference.encode(reference.fromObject({ ack })).finish());
    expect(Buffer.from(ours.encode(ours.fromObject({ ack })).finish())).toEqual(bytes);
    // The options the gateway's clients read messages with, as the image ships them.
    const { MESSAGE_OUTPUT_OPTIONS } = (await import(join(edgeApp.path, 'proto/dist/message-options.js'))) as { MESSAGE_OUTPUT_OPTIONS: protobuf.IConversionOptions };
    expect(ours.toObject(ours.decode(bytes), MESSAGE_OUTPUT_OPTIONS)).toEqual({ message: 'ack', ack });
    expect(reference.toObject(reference.decode(bytes), MESSAGE_OUTPUT_OPTIONS)).toEqual({ message: 'ack', ack });
  });

  // The image's edge bundles, with its gRPC clients made from the generated descriptor
  // (docs/decisions/0025): this is where its sync stream meets a real cloud of the cloud image.
  it('the edge delivers a meter\'s records to the cloud, each stored once', async () => {
    const data = tempDir('coupler-staged-sync-');
    onTestFinished(data.remove);
    const [httpPort, grpcPort, apiPort, meterPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const cloud = startProcess(join(cloudApp.path, 'deploy/cloud/entrypoint.sh'), [], {
      COUPLER_DATA_DIR: join(data.path, 'cloud'),
      COUPLER_HTTP_PORT: String(httpPort),
      COUPLER_GRPC_PORT: String(grpcPort),
      COUPLER_GRPC_TLS: 'insecure',
    });
    killOnFinish(cloud);
    const meter = startProcess('node', [join(REPO, 'edge/dist/sim/meter-cli.js'), '--port', String(meterPort)], {});
    killOnFinish(meter);
    const edge = startProcess(join(edgeApp.path, 'deploy/edge/entrypoint.sh'), [], {
      ...(await balenaEdgeEnv(data.path, apiPort)),
      COUPLER_SYNC_CLOUD_URL: `127.0.0.1:${grpcPort}`,
      COUPLER_SYNC_TLS: 'insecure',
      COUPLER_SYNC_INITIAL_BACKOFF_MS: '200',
      COUPLER_MODBUS_DEVICES: JSON.stringify([{ id: 'meter-1', profile: 'eastron-sdm630', host: '127.0.0.1', port: meterPort, pollIntervalMs: 200 }]),
    }, { cwd: '/' });
    killOnFinish(edge);
    const edgeMetrics = () => fetch(`http://127.0.0.1:${apiPort}/metrics`, { headers: { authorization: `Bearer ${API_KEY}` } }).then((r) => r.text());
    const cloudMetrics = () => fetch(`http://127.0.0.1:${httpPort}/metrics`).then((r) => r.text());

    await waitFor('10 records acknowledged by the cloud', async () => {
      const acknowledged = metricValue(await edgeMetrics(), 'coupler_edge_records_acknowledged_total') ?? 0;
      return acknowledged >= 10 ? true : undefined;
    }, { timeoutMs: 30_000, started: edge });
    meter.child.kill('SIGTERM');
    await meter.exited;
    // With the meter gone nothing new is buffered: everything the edge read ends up in the cloud.
    const [edgeText, cloudText] = await waitFor('the edge buffer empty and the cloud holding every record', async () => {
      const [edgeNow, cloudNow] = [await edgeMetrics(), await cloudMetrics()];
      const buffered = metricValue(edgeNow, 'coupler_edge_records_buffered');
      const acknowledged = metricValue(edgeNow, 'coupler_edge_records_acknowledged_total');
      const stored = metricValue(cloudNow, 'coupler_cloud_records_stored_total');
      return buffered === 0 && acknowledged !== undefined && acknowledged === stored ? [edgeNow, cloudNow] : undefined;
    }, { timeoutMs: 30_000, started: edge });
    expect(metricValue(edgeText, 'coupler_edge_records_acknowledged_total')).toBeGreaterThanOrEqual(10);
    expect(metricValue(cloudText, 'coupler_cloud_records_duplicate_total') ?? 0).toBe(0);

    for (const started of [edge, cloud]) {
      const stopped = await stopWithSigterm(started);
      expect(stopped.code, started.output()).toBe(0);
    }
  }, 90_000);
});
