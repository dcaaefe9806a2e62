import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RolloutRepository } from './ports.js';
import type { RolloutState } from './rollout-state.js';

/**
 * Rollouts as one JSON file each in `folder`, replaced atomically (temporary file, fsync,
 * rename). For one cloud machine; several replicas need a shared store (PostgreSQL).
 */
export function fileRolloutRepository(folder: string): RolloutRepository {
  mkdirSync(folder, { recursive: true });
  return {
    save: (state) => {
      const path = join(folder, `${state.plan.rolloutId}.json`);
      const temporary = `${path}.tmp`;
      const fd = openSync(temporary, 'w', 0o600);
      try {
        writeSync(fd, JSON.stringify(state));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, path);
    },
    loadAll: () =>
      readdirSync(folder)
        .filter((name) => name.endsWith('.json'))
        .map((name) => JSON.parse(readFileSync(join(folder, name), 'utf8')) as RolloutState),
  };
}
