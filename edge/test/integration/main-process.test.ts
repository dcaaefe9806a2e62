import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const EDGE_MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

function runEdge(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', EDGE_MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('coupler-edge process', () => {
  it('refuses a bad configuration file with exit code 2 and names the key, the reason and the value', async () => {
    const file = join(tempDir(), 'edge.yaml');
    writeFileSync(file, 'gateway:\n  id: car-1\nbus:\n  port: 99999\n');
    const { code, stderr } = await runEdge(['--config', file]);
    expect(code).toBe(2);
    expect(stderr).toBe(`invalid configuration in ${file}:\n  bus.port: must be <= 65535 (got 99999) [line 4]\n`);
  });

  it('names a gateway id that is missing from file and environment', async () => {
    const { code, stderr } = await runEdge([], { COUPLER_GATEWAY_ID: '' });
    expect(code).toBe(2);
    expect(stderr).toContain('gateway.id: must match pattern');
  });
});
