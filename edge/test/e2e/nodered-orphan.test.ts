import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { securityEnv } from '../helpers/security.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait-for.js';

const EDGE_MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const NODES_DIR = fileURLToPath(new URL('../../../flows/nodes', import.meta.url));

/** The command line of a live process (Node-RED's says node-red); undefined once it is gone or a zombie. */
function commandLineOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z') ? undefined : readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
}

async function startEdge(dir: string, nodeRedPort: number) {
  const config = join(dir, 'edge.yaml');
  writeFileSync(config, [
    'gateway: { id: orphan-car }',
    `dataDir: ${join(dir, 'data')}`,
    'bus: { port: 0 }',
    'api: { port: 0 }',
    `sync: { cloudUrl: "127.0.0.1:${await freePort()}" }`,
    'log: { level: warn }',
    'nodeRed:',
    '  enabled: true',
    `  port: ${nodeRedPort}`,
    '  credentialSecret: orphan-credential-secret-0123456789',
    `  nodesDir: ${NODES_DIR}`,
    '',
  ].join('\n'));
  const edge = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', EDGE_MAIN, '--config', config], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(await securityEnv()) } });
  let output = '';
  edge.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  edge.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => edge.once('exit', () => { resolve(); }));
  onTestFinished(async () => {
    edge.kill('SIGKILL');
    await exited;
  });
  const nodeRedPid = await waitFor('Node-RED to answer', async () => {
    const answers = await fetch(`http://127.0.0.1:${nodeRedPort}/auth/login`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    const pid = Number.parseInt(readFileSync(join(dir, 'data', 'nodered', 'node-red.pid'), 'utf8'), 10);
    return answers && commandLineOf(pid)?.startsWith('node-red') ? pid : undefined;
  }, 90_000, 250).catch((err: unknown) => {
    throw new Error(`edge output:\n${output}`, { cause: err });
  });
  onTestFinished(() => {
    if (commandLineOf(nodeRedPid)) process.kill(nodeRedPid, 'SIGKILL');
  });
  const kill = async () => {
    edge.kill('SIGKILL');
    await exited;
  };
  return { nodeRedPid, kill, output: () => output };
}

describe('Node-RED after its edge was killed', () => {
  it('ends by itself soon after the edge that started it is killed with SIGKILL', { timeout: 150_000 }, async () => {
    const edge = await startEdge(tempDir(), await freePort());
    await edge.kill();
    await waitFor('the orphaned Node-RED to end', () => commandLineOf(edge.nodeRedPid) === undefined, 15_000, 100);
  });

  it('is stopped by the next edge when it is stuck, and the new one takes its port', { timeout: 240_000 }, async () => {
    const dir = tempDir();
    const port = await freePort();
    const first = await startEdge(dir, port);
    // Stopped, as a Node-RED stuck in a busy flow would be: it cannot notice that its edge is gone.
    process.kill(first.nodeRedPid, 'SIGSTOP');
    await first.kill();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(commandLineOf(first.nodeRedPid)).toMatch(/^node-red/);
    const second = await startEdge(dir, port);
    expect(second.nodeRedPid).not.toBe(first.nodeRedPid);
    expect(commandLineOf(first.nodeRedPid)).toBeUndefined();
    expect(second.output()).toContain('stopped a Node-RED that an earlier run of the edge left running');
  });
});
