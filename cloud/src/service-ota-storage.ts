import { join } from 'node:path';
import type { Logger } from '@coupler/kit';
import { fileArtifactBlobs, type ArtifactBlobs } from './artifacts/index.js';
import type { FrozenCloudConfig } from './config/index.js';
import { importEarlierFiles } from './ota-import.js';
import { fileRolloutRepository, type RolloutRepository } from './rollouts/index.js';
import { PostgresOtaStore } from './store/index.js';

export interface OtaStorage {
  rollouts: RolloutRepository;
  artifacts: ArtifactBlobs;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Where rollouts and artifacts live (docs/decisions/0085): with the embedded store, files in
 * the data folder the one process owns; with PostgreSQL, the database every process shares, so
 * an elected leader carries on the rollouts of the one before it. Starting on PostgreSQL imports
 * files an earlier version left in the data folder.
 */
export function createOtaStorage(config: FrozenCloudConfig, logger: Logger): OtaStorage {
  switch (config.store.kind) {
    case 'lmdb':
      return {
        rollouts: fileRolloutRepository(join(config.dataDir, 'rollouts')),
        artifacts: fileArtifactBlobs(join(config.dataDir, 'artifacts')),
        start: () => Promise.resolve(),
        stop: () => Promise.resolve(),
      };
    case 'postgres': {
      const store = new PostgresOtaStore({ connectionString: config.store.postgresUrl });
      return {
        rollouts: store.rollouts,
        artifacts: store.artifacts,
        start: async () => {
          await store.open();
          try {
            await importEarlierFiles(config.dataDir, store, logger);
          } catch (err) {
            await store.close();
            throw err;
          }
        },
        stop: () => store.close(),
      };
    }
  }
}
