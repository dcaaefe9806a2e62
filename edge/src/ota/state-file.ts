import { readFileSync, rmSync } from 'node:fs';

/** The parsed JSON of `path`, or undefined when the file does not exist. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${path} is not valid JSON (${(err as Error).message}); it was written atomically, so something else changed it`, { cause: err });
  }
}

export function removeFile(path: string): void {
  rmSync(path, { force: true });
}
