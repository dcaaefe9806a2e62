import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { RolloutRepository } from './ports.js';
import type { RolloutState } from './rollout-state.js';

/**
 * Rollouts as one JSON file each in `folder`, replaced atomically (temporary file, fsync,
 * rename). For the embedded store, where one process owns the data folder; a fleet of
 * processes keeps them in PostgreSQL (docs/decisions/0085).
 */
export function fileRolloutRepository(folder: string): RolloutRepository {
  let made: Promise<unknown> | undefined;
  const ready = () => (made ??= mkdir(folder, { recursive: true }));
  return {
    save: async (state) => {
      await ready();
      const path = join(folder, `${state.plan.rolloutId}.json`);
      const temporary = `${path}.tmp`;
      const file = await open(temporary, 'w', 0o600);
      try {
        await file.writeFile(JSON.stringify(state));
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, path);
    },
    loadAll: async () => {
      await ready();
      const names = (await readdir(folder)).filter((name) => name.endsWith('.json'));
      return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(folder, name), 'utf8')) as RolloutState));
    },
  };
}
