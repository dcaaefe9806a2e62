import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../helpers/wait.js';
import { edgeCredentials } from './edge-credentials.js';
import { writeEdgeConfig } from './edge-config.js';
import { freePort, runTs, type RunningProcess } from './processes.js';

const GATEWAY_ID = 'e2e-correlated-car';

interface LogLine {
  msg?: string;
  correlationId?: string;
  gatewayId?: string;
}

/** The JSON log lines of a process whose message is `msg`. */
function linesSaying(process: RunningProcess, msg: string): LogLine[] {
  return process
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)
    .filter((line) => line.msg === msg);
}

describe('correlation ids across the sync stream', () => {
  it('puts the edge stream id in the cloud log lines of that stream, a new one per stream and run', { timeout: 120_000 }, async () => {
    const credentials = await edgeCredentials([]);
    const dir = tempDir();
    const cloudPort = await freePort();
    const cloud = runTs('cloud/src/main.ts', [], {
      COUPLER_DATA_DIR: join(dir, 'cloud-data'),
      COUPLER_GRPC_PORT: String(cloudPort),
      COUPLER_GRPC_TLS: 'insecure',
      COUPLER_HTTP_PORT: '0',
      COUPLER_LOG_LEVEL: 'info',
    });
    const config = writeEdgeConfig({
      gatewayId: GATEWAY_ID,
      dir,
      cloudUrl: `127.0.0.1:${cloudPort}`,
      more: ['log: { level: info }'],
    });

    const streamIds: string[] = [];
    for (let run = 1; run <= 2; run++) {
      const edge = runTs('edge/src/main.ts', ['--config', config], credentials.env);
      const opened = await waitFor(`run ${run}: the edge to open its stream`, () => linesSaying(edge, 'sync stream open')[0], 60_000);
      const id = opened.correlationId ?? '';
      // gateway:run:stream — the stream count is above 1 when the cloud was not listening yet.
      expect(id).toMatch(new RegExp(`^${GATEWAY_ID}:[0-9a-f]{8}:[1-9][0-9]*$`));
      const seen = await waitFor(`run ${run}: the cloud to log the stream`, () => linesSaying(cloud, 'sync stream opened').find((line) => line.correlationId === id), 30_000);
      expect(seen.gatewayId).toBe(GATEWAY_ID);
      streamIds.push(id);
      expect(await edge.stop('SIGTERM')).toBe(0);
      await waitFor(`run ${run}: the cloud to log the end of the stream`, () => linesSaying(cloud, 'sync stream cancelled by the gateway').some((line) => line.correlationId === id) || linesSaying(cloud, 'sync stream closed').some((line) => line.correlationId === id), 30_000);
    }
    expect(new Set(streamIds).size).toBe(2);
  });
});
