import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../lib/index.js';
import type { DesiredConfig } from './desired-sections.js';

/** The cloud's desired configuration in force, kept so a restart without the cloud keeps it. */
export function desiredConfigFile(dataDir: string): string {
  return join(dataDir, 'desired-config.json');
}

/** Undefined when the cloud set none; throws naming the file when it cannot be read. */
export function readDesiredConfig(dataDir: string): DesiredConfig | undefined {
  const file = desiredConfigFile(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as DesiredConfig;
  } catch (err) {
    throw new Error(`${file} is not a desired-configuration file (${(err as Error).message}); it was written atomically, so something else changed it`, { cause: err });
  }
}

export function writeDesiredConfig(dataDir: string, desired: DesiredConfig): void {
  writeFileAtomicSync(desiredConfigFile(dataDir), `${JSON.stringify(desired, null, 2)}\n`);
}

export function removeDesiredConfig(dataDir: string): void {
  rmSync(desiredConfigFile(dataDir), { force: true });
}
