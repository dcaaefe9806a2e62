import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../lib/index.js';
import type { Reading } from '../records/index.js';
import type { OpenPeriod } from './periods.js';

/** What survives a restart: the open period of each meter, and records not yet on the bus. */
export interface EnergyState {
  version: 1;
  meters: Record<string, { open: OpenPeriod; isClockSynchronisedAtStart: boolean }>;
  unpublished: Reading[];
}

export function emptyState(): EnergyState {
  return { version: 1, meters: {}, unpublished: [] };
}

/** The saved state, or undefined when there is none; throws on a file that is not one. */
export async function loadState(file: string): Promise<EnergyState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const state = JSON.parse(text) as Partial<EnergyState>;
  if (state.version !== 1 || typeof state.meters !== 'object' || !Array.isArray(state.unpublished))
    throw new Error(`${file} is not an energy period state (version 1)`);
  return state as EnergyState;
}

/** Writes the state so a power cut leaves the old file or the new one, never half of one. */
export async function saveState(file: string, state: EnergyState): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(state));
}
