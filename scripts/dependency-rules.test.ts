import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DEPCRUISE = join(REPO, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** Runs the project's dependency rules over a tree of files written for the test. */
function cruise(files: Record<string, string>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-deps-'));
  onTestFinished(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  copyFileSync(join(REPO, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(join(dir, 'tsconfig.depcruise.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' }, include: ['edge', 'cloud'] }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const run = spawnSync('node', [DEPCRUISE, '--config', '.dependency-cruiser.cjs', 'edge/src', 'cloud/src'], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

const CLEAN = {
  'edge/src/records/index.ts': 'export const LANE = 1;\n',
  'edge/src/buffer/index.ts': "import { LANE } from '../records/index.js';\nexport const buffer = LANE;\n",
  'edge/src/sync/ports.ts': 'export interface Backlog { size(): number }\n',
  'edge/src/sync/index.ts': "import type { Backlog } from './ports.js';\nexport const sync = (b: Backlog) => b.size();\n",
  'edge/src/gateway.ts': "import { buffer } from './buffer/index.js';\nimport { sync } from './sync/index.js';\nexport const g = sync({ size: () => buffer });\n",
  'cloud/src/service.ts': 'export const cloud = 1;\n',
};

describe('dependency rules (STYLE.md §2)', () => {
  it('accept a tree that follows them', () => {
    const result = cruise(CLEAN);
    expect(result.output).toContain('no dependency violations found');
    expect(result.status).toBe(0);
  });

  it('fail on an import cycle', () => {
    const result = cruise({
      ...CLEAN,
      'edge/src/buffer/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'edge/src/buffer/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/error no-circular: edge\/src\/buffer\/a\.ts →/);
  });

  it('fail when a capability imports another capability', () => {
    const result = cruise({
      ...CLEAN,
      'edge/src/sync/index.ts': "import { buffer } from '../buffer/index.js';\nexport const sync = () => buffer;\n",
      'cloud/src/store/index.ts': 'export const store = 1;\n',
      'cloud/src/telemetry/index.ts': "import { store } from '../store/index.js';\nexport const t = store;\n",
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('error capability-imports-capability: edge/src/sync/index.ts → edge/src/buffer/index.ts');
    expect(result.output).toContain('error cloud-capability-imports-capability: cloud/src/telemetry/index.ts → cloud/src/store/index.ts');
  });

  it('fail on a deep import past a folder index and on edge importing cloud', () => {
    const result = cruise({
      ...CLEAN,
      'edge/src/buffer/lmdb.ts': 'export const open = 1;\n',
      'edge/src/gateway.ts': "import { open } from './buffer/lmdb.js';\nimport { c } from '../../cloud/src/main.js';\nexport const g = open + c;\n",
      'cloud/src/main.ts': 'export const c = 1;\n',
    });
    expect(result.output).toContain('error no-deep-import-from-root: edge/src/gateway.ts → edge/src/buffer/lmdb.ts');
    expect(result.output).toContain('error edge-and-cloud-share-only-proto: edge/src/gateway.ts → cloud/src/main.ts');
  });

  it('let only lib/serial-port.ts import serialport, so a gateway without serial devices never loads it', () => {
    const serialport = {
      'node_modules/serialport/package.json': JSON.stringify({ name: 'serialport', main: 'dist/index.js' }),
      'node_modules/serialport/dist/index.js': 'exports.SerialPort = class SerialPort {};\n',
      'node_modules/serialport/dist/index.d.ts': 'export declare class SerialPort {}\n',
      'edge/src/lib/serial-port.ts': "export const loadSerialPort = () => import('serialport').then((m) => m.SerialPort);\n",
      'edge/src/lib/index.ts': "export { loadSerialPort } from './serial-port.js';\n",
    };
    const lazy = cruise({
      ...CLEAN,
      ...serialport,
      'edge/src/devices/rtu/index.ts': "import type { SerialPort } from 'serialport';\nimport { loadSerialPort } from '../../lib/index.js';\nexport let port: SerialPort | undefined;\nexport const open = loadSerialPort;\n",
    });
    expect(lazy.output).toContain('no dependency violations found');
    const eager = cruise({ ...CLEAN, ...serialport, 'edge/src/devices/rtu/index.ts': "import { SerialPort } from 'serialport';\nexport const port = new SerialPort();\n" });
    expect(eager.status).not.toBe(0);
    expect(eager.output).toContain('error serialport-on-first-use: edge/src/devices/rtu/index.ts → node_modules/serialport/dist/index.js');
  });
});
