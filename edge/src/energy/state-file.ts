import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
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
  const temporary = `${file}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(JSON.stringify(state));
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
  const folder = await open(dirname(file), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
