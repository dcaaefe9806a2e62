import { readFileSync } from 'node:fs';

export interface Asset {
  body: string;
  contentType: string;
}

const FILES = {
  'dashboard.mjs': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
} as const;

export type AssetName = keyof typeof FILES;

// public/ sits next to this file under src/; from dist/src/dashboard/ it is three folders up.
const FOLDERS = ['./public/', '../../../src/dashboard/public/'];

function readAsset(name: string): string {
  for (const folder of FOLDERS) {
    try {
      return readFileSync(new URL(folder + name, import.meta.url), 'utf8');
    } catch {
      // Not in this layout (src/ vs dist/src/): try the next one.
    }
  }
  throw new Error(`dashboard asset ${name} not found in cloud/src/dashboard/public/`);
}

/** The script and stylesheet, read once: served locally, nothing from a CDN. */
export function loadAssets(): ReadonlyMap<string, Asset> {
  return new Map(
    Object.entries(FILES).map(([name, contentType]) => [
      name,
      { body: readAsset(name), contentType },
    ]),
  );
}
