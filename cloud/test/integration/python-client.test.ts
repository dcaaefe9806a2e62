import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CreateBootstrapTokenResponse } from '@coupler/proto';
import {
  ADMIN_KEY,
  bearer,
  result,
  soon,
  startSecureCloud,
  VIEWER_KEY,
} from '../helpers/identity.js';
import { tempDir } from '../helpers/wait.js';
import { billingRecord, NOON_MS, PERIOD_MS } from '../helpers/billing.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
// Debian's python3-grpcio and python3-grpc-tools are installed for the system interpreter only.
const PYTHON = '/usr/bin/python3';

function requirePythonGrpc(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import grpc, grpc_tools.protoc'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `${PYTHON} cannot import grpc and grpc_tools (${probe.stderr.trim()}); install them: ` +
        'apt-get install python3-grpcio python3-grpc-tools (scripts/setup.sh does)',
    );
  }
}

function runPython(
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, args, { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('a Python client generated from proto/', () => {
  it('enrols a gateway over TLS, lists the fleet and queries telemetry with an API key', async () => {
    requirePythonGrpc();
    const dir = tempDir();
    const gen = join(dir, 'gen');
    mkdirSync(gen);
    execFileSync(
      PYTHON,
      [
        '-m',
        'grpc_tools.protoc',
        '-I',
        join(REPO, 'proto'),
        `--python_out=${gen}`,
        `--grpc_python_out=${gen}`,
        join(REPO, 'proto/coupler/identity/v1/identity.proto'),
        join(REPO, 'proto/coupler/fleet/v1/fleet.proto'),
        // fleet.proto uses the desired-state messages of sync.proto, which uses ota.proto's Artifact.
        join(REPO, 'proto/coupler/sync/v1/sync.proto'),
        join(REPO, 'proto/coupler/ota/v1/ota.proto'),
        join(REPO, 'proto/coupler/telemetry/v1/telemetry.proto'),
      ],
      { stdio: 'pipe', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
    );
    const cloud = await startSecureCloud();
    const caFile = join(dir, 'ca.crt');
    writeFileSync(caFile, cloud.caPem);
    const token = await result<CreateBootstrapTokenResponse>((cb) => {
      cloud.admin.CreateBootstrapToken({ gatewayId: 'py-gw-1' }, bearer(ADMIN_KEY), soon(), cb);
    });
    // The gateway's key and CSR come from openssl, as a non-Node gateway would make them.
    const csrFile = join(dir, 'gw.csr');
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(dir, 'gw.key'),
        '-out',
        csrFile,
        '-subj',
        '/CN=py-gw-1',
      ],
      { stdio: 'pipe' },
    );

    // What the gateway would have sent: two readings and one billing period.
    await cloud.cloud.store.storeRecords(
      'py-gw-1',
      [
        { sequence: 1, deviceId: 'm1', timestampMs: NOON_MS + 1_000, lane: 'bulk', quality: 'good', values: [{ name: 'voltage', value: 230, unit: 'V' }] },
        { sequence: 2, deviceId: 'm1', timestampMs: NOON_MS + 2_000, lane: 'bulk', quality: 'uncertain', values: [{ name: 'voltage', value: 232.5, unit: 'V' }] },
        billingRecord({ sequence: 3, meterId: 'm1', periodStartMs: NOON_MS, consumedKwh: 1.5 }),
      ],
      1,
    );

    // Asynchronous: the cloud answers from this very process, so it must not be blocked.
    const run = await runPython([
      join(REPO, 'cloud/test/python/coupler_client.py'),
      '--gen',
      gen,
      '--api',
      cloud.apiAddress,
      '--ca',
      caFile,
      '--token',
      token.response?.token ?? '',
      '--csr',
      csrFile,
      '--api-key',
      VIEWER_KEY,
      '--telemetry-gateway',
      'py-gw-1',
      '--from-ms',
      String(NOON_MS),
      '--to-ms',
      String(NOON_MS + PERIOD_MS),
    ]);
    expect(run.status, run.stderr).toBe(0);
    const steps = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(steps[0]).toMatchObject({
      step: 'enrolled',
      gateway_id: 'py-gw-1',
      has_certificate: true,
    });
    expect(steps[1]).toEqual({
      step: 'reused',
      code: 'UNAUTHENTICATED',
      details: 'bootstrapToken: was already used; ask for a new one',
    });
    expect(steps[2]).toEqual({
      step: 'listed',
      gateways: [{ gateway_id: 'py-gw-1', is_enrolled: true, stored_records: 3 }],
    });
    expect(steps[3]).toEqual({
      step: 'anonymous',
      code: 'UNAUTHENTICATED',
      details: 'this call needs an API key: send metadata "authorization: Bearer <key>"',
    });
    expect(steps[4]).toEqual({
      step: 'queried',
      series: [
        {
          device_id: 'm1',
          signal: 'voltage',
          unit: 'V',
          points: [
            [NOON_MS + 1_000, 230, 'QUALITY_GOOD'],
            [NOON_MS + 2_000, 232.5, 'QUALITY_UNCERTAIN'],
          ],
        },
      ],
    });
    expect(steps[5]).toEqual({
      step: 'downsampled',
      buckets: [{ start_ms: NOON_MS, min: 230, max: 232.5, mean: 231.25, count: 2, last: 232.5 }],
    });
    expect(steps[6]).toEqual({
      step: 'bad-range',
      code: 'INVALID_ARGUMENT',
      details: `toMs: must be greater than fromMs (got ${NOON_MS} <= ${NOON_MS + PERIOD_MS})`,
    });
    expect(steps[7]).toMatchObject({ step: 'exported' });
    expect((steps[7]?.['lines'] as string[]).slice(1)).toEqual([
      'py-gw-1,,m1,3,2024-05-01T12:00:00.000Z,2024-05-01T12:05:00.000Z,1.5,,100,101.5,,,2024-05-01T12:00:00.400Z,2024-05-01T12:05:00.600Z,0,0,good,,,',
      '',
    ]);
    expect(readFileSync(csrFile, 'utf8')).toContain('BEGIN CERTIFICATE REQUEST');
  });
});
