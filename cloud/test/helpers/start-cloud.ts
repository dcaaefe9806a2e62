import { createLogger } from '@coupler/kit';
import { onTestFinished } from 'vitest';
import { loadCloudConfig } from '../../src/config/index.js';
import { createCloud, type Cloud } from '../../src/service.js';
import { tempDir } from './wait.js';

export interface StartCloudOptions {
  /** Reuse a data folder (to restart on the same store); a fresh temporary one otherwise. */
  dataDir?: string;
  /** Extra COUPLER_* variables. */
  env?: Record<string, string>;
}

export interface RunningCloud {
  cloud: Cloud;
  /** host:port of the gRPC API. */
  grpcAddress: string;
  /** http://host:port of the HTTP server. */
  httpUrl: string;
  /** Stops the cloud; idempotent, and also run when the test finishes. */
  close: () => Promise<void>;
}

/** A real cloud on 127.0.0.1 with free ports, a temporary store and a silent logger. */
export async function startCloud(options: StartCloudOptions = {}): Promise<RunningCloud> {
  const config = loadCloudConfig({
    env: {
      COUPLER_GRPC_PORT: '0',
      // Plaintext, any gateway id: the sync tests here are about the stream, not identity.
      COUPLER_GRPC_TLS: 'insecure',
      COUPLER_HTTP_PORT: '0',
      COUPLER_DATA_DIR: options.dataDir ?? tempDir(),
      ...options.env,
    },
  });
  const cloud = createCloud(config, { logger: createLogger({ name: 'test', level: 'silent' }) });
  const close = (): Promise<void> => cloud.stop();
  onTestFinished(close);
  await cloud.start();
  return {
    cloud,
    grpcAddress: `${config.grpc.host}:${cloud.grpcPort()}`,
    httpUrl: `http://${config.http.host}:${cloud.httpPort()}`,
    close,
  };
}
