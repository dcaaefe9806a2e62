import { spawn, type ChildProcess } from 'node:child_process';
import { waitForPort } from './proc.js';

const TSX = ['--conditions=development', '--import', 'tsx'];
const ROOT = new URL('../../', import.meta.url).pathname;

/** A cloud process (cloud/src/main.ts, insecure: one port for sync and API) on a random loopback port. */
export async function startCloudProcess(store: string, dataDir: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const port = 50_000 + Math.floor(Math.random() * 5_000);
  const child = spawn(process.execPath, [...TSX, 'cloud/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      COUPLER_DATA_DIR: dataDir,
      COUPLER_GRPC_PORT: String(port),
      COUPLER_GRPC_TLS: 'insecure',
      COUPLER_API_PORT: '0',
      COUPLER_HTTP_PORT: '0',
      COUPLER_LOG_LEVEL: 'warn',
      COUPLER_STORE_KIND: store,
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForPort(port, 30_000);
  return { child, port };
}
