import { onTestFinished } from 'vitest';
import { buildApi, type ApiOptions, type ApiSources } from '../../src/api/index.js';
import { silentLogger } from './gateway-parts.js';
import { apiKeys } from './security.js';

/** The local API alone over fixed sources, listening on 127.0.0.1; closed when the test ends. */
export async function startLocalApi(options: ApiOptions = {}, sources: Partial<ApiSources> = {}) {
  const cleared: (string | undefined)[] = [];
  const keys = await apiKeys();
  const app = buildApi(
    {
      metrics: () => Promise.resolve({ contentType: 'text/plain', body: '' }),
      dependencies: () => [],
      buffer: () => ({ records: 0, bytes: 0, quotaBytes: 1, firstSequence: 0 }),
      sync: () => ({ state: 'waiting', batchesInFlight: 0, streamRestarts: 0 }),
      devices: () => [],
      quarantine: () => [],
      nodeRed: () => ({ enabled: false }),
      clearQuarantine: (deviceId) => {
        cleared.push(deviceId);
        return 0;
      },
      ...sources,
    },
    { logger: silentLogger(), keys: { keys: () => keys } },
    options,
  );
  onTestFinished(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const request = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(base + path, { ...init, signal: AbortSignal.timeout(5000) });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  return { base, request, cleared };
}
