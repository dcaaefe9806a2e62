import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface EdgeConfigOptions {
  gatewayId: string;
  /** The test's temporary folder: edge.yaml is written there. */
  dir: string;
  /** Where the edge reaches the cloud (host:port). */
  cloudUrl: string;
  /** Default: dir/edge-data. */
  dataDir?: string;
  /** 0 (the default): any free port, which the edge logs. */
  busPort?: number;
  apiPort?: number;
  /** Sync settings over the tests' short back-off (initialBackoffMs 100, maxBackoffMs 1000). */
  sync?: Record<string, number | boolean>;
  /** Further lines of YAML: devices, ota, log. */
  more?: readonly string[];
}

/** Writes the edge.yaml of an edge process started by an end-to-end test; returns its path. */
export function writeEdgeConfig(options: EdgeConfigOptions): string {
  const sync = { initialBackoffMs: 100, maxBackoffMs: 1000, ...options.sync };
  const syncKeys = Object.entries(sync)
    .map(([key, value]) => `, ${key}: ${value}`)
    .join('');
  const path = join(options.dir, 'edge.yaml');
  writeFileSync(
    path,
    [
      `gateway: { id: ${options.gatewayId} }`,
      `dataDir: ${options.dataDir ?? join(options.dir, 'edge-data')}`,
      `bus: { port: ${options.busPort ?? 0} }`,
      `api: { port: ${options.apiPort ?? 0} }`,
      `sync: { cloudUrl: "${options.cloudUrl}"${syncKeys} }`,
      ...(options.more ?? []),
      '',
    ].join('\n'),
  );
  return path;
}
