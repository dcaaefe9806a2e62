import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../lib/index.js';
import type { ItemOutcome } from './ports.js';
import type { ItemKind } from './plan.js';
import { specFromJson, specToJson, type DesiredSpec } from './wire.js';

/** One item of the report, as kept on disk. */
export interface ItemState {
  key: string;
  kind: ItemKind;
  deviceId: string;
  targetVersion: string;
  targetSha256: string;
  rolloutId: string;
  outcome: ItemOutcome;
  step: string;
  reason: string;
  updatedMs: number;
  /** Ended for this target and rollout: not applied again until either changes. */
  isSettled: boolean;
}

export interface SavedState {
  spec: DesiredSpec | undefined;
  items: ItemState[];
}

/**
 * The last desired state and what became of each item, in one JSON file replaced atomically at
 * every change: a gateway restarted without the cloud carries on, and reports what it did.
 */
export class DesiredStateFile {
  constructor(readonly path: string) {}

  /** The saved state; empty when there is none. Throws naming the file when it cannot be read. */
  load(): SavedState {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { spec: undefined, items: [] };
      throw err;
    }
    try {
      const json = JSON.parse(text) as { spec?: Parameters<typeof specFromJson>[0]; items: ItemState[] };
      return { spec: json.spec && specFromJson(json.spec), items: json.items };
    } catch (err) {
      throw new Error(`${this.path} is not a desired-state file (${(err as Error).message}); it was written atomically, so something else changed it`, { cause: err });
    }
  }

  save(state: SavedState): void {
    writeFileAtomicSync(this.path, `${JSON.stringify({ spec: state.spec && specToJson(state.spec), items: state.items }, null, 2)}\n`);
  }
}
