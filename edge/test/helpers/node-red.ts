import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import type { Registry } from 'prom-client';
import { onTestFinished } from 'vitest';
import { createNodeRed, type NodeRed, type NodeRedOptions } from '../../src/nodered/index.js';
import { silentLogger } from './gateway-parts.js';
import { passwordOf } from './security.js';
import { tempDir } from './temp-dir.js';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../../flows/templates', import.meta.url));
export const NODES_DIR = fileURLToPath(new URL('../../../flows/nodes', import.meta.url));
export const EDITOR_USER = 'integrator';
export const EDITOR_PASSWORD = 'editor-password-for-tests';
export const CREDENTIAL_SECRET = 'test-credential-secret-0123456789';
/** bcrypt cost 4: cheap for tests only (Node-RED's own hash-pw uses 8). */
const EDITOR_HASH = bcrypt.hashSync(EDITOR_PASSWORD, 4);

/**
 * A real Node-RED child (node_modules/node-red) on 127.0.0.1 with a free port, logging in to the
 * broker on `busPort` as the service user `svc` (helpers/secured-bus.ts); stopped after the test.
 */
export async function startNodeRed(busPort: number, registry: Registry, options: Partial<NodeRedOptions> & { hasEditor?: boolean; httpNodePassword?: string } = {}): Promise<{ nodeRed: NodeRed; baseUrl: string; userDir: string }> {
  const userDir = tempDir('coupler-nodered-');
  const nodeRed = createNodeRed(
    {
      host: '127.0.0.1',
      port: 0,
      userDir,
      templatesDir: TEMPLATES_DIR,
      nodesDir: NODES_DIR,
      memoryLimitMb: 256,
      niceness: 19,
      functionTimeoutSeconds: 5,
      startTimeoutMs: 30_000,
      healthIntervalMs: 500,
      maxMissedHealthChecks: 4,
      initialBackoffMs: 100,
      maxBackoffMs: 2000,
      stableAfterMs: 10_000,
      gatewayId: 'gw-nodered',
      flows: [],
      rollbackAfterCrashes: 3,
      rollbackWindowMs: 60_000,
      ...options,
    },
    {
      logger: silentLogger(),
      registry,
      secrets: () => ({
        credentialSecret: CREDENTIAL_SECRET,
        editorUsers: options.hasEditor === false ? [] : [{ username: EDITOR_USER, passwordHash: EDITOR_HASH, permissions: '*' }],
        httpNodeAuth: options.httpNodePassword === undefined ? undefined : { username: 'http-client', passwordHash: bcrypt.hashSync(options.httpNodePassword, 4) },
        bus: { host: '127.0.0.1', port: busPort, username: 'svc', password: passwordOf('svc') },
      }),
    },
  );
  onTestFinished(() => nodeRed.stop());
  await nodeRed.start();
  return { nodeRed, baseUrl: `http://127.0.0.1:${nodeRed.status().port}`, userDir };
}

/** Logs in to the editor's admin API as a person would (POST /auth/token); resolves to the HTTP status and token. */
export async function editorLogin(baseUrl: string, password: string): Promise<{ status: number; token: string | undefined }> {
  const response = await fetch(`${baseUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'node-red-editor', grant_type: 'password', scope: '*', username: EDITOR_USER, password }),
    signal: AbortSignal.timeout(5000),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: string };
  return { status: response.status, token: body.access_token };
}

export async function counterValue(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return (metric?.values ?? []).filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((sum, v) => sum + v.value, 0);
}
