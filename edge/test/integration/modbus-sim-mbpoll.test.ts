import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startSimulatedMeter } from '../helpers/modbus-meter.js';
import { waitFor } from '../helpers/wait-for.js';

const MBPOLL = '/usr/bin/mbpoll';
const METER_CLI = fileURLToPath(new URL('../../sim/meter-cli.ts', import.meta.url));
const run = promisify(execFile);

/** Reads once with Debian's mbpoll, a Modbus master nobody here wrote. */
async function mbpoll(port: number, args: string[]): Promise<string> {
  if (!existsSync(MBPOLL))
    throw new Error(`${MBPOLL} is missing: apt-get install mbpoll (scripts/setup.sh does it)`);
  // -0: 0-based wire addresses, -1: poll once.
  const { stdout } = await run(
    MBPOLL,
    ['-m', 'tcp', '-p', String(port), '-a', '1', '-0', ...args, '-1', '127.0.0.1'],
    { timeout: 10_000 },
  );
  return stdout;
}

/** mbpoll's failing output (stdout and stderr), or an error when it succeeded. */
async function mbpollFailure(port: number, args: string[]): Promise<string> {
  return mbpoll(port, args).then(
    (out) => {
      throw new Error(`expected mbpoll to fail, it printed:\n${out}`);
    },
    (err: unknown) => {
      const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
      return stdout + stderr;
    },
  );
}

/** `[0]: \t231.5` lines -> address -> value. */
function values(output: string): Map<number, number> {
  return new Map(
    Array.from(output.matchAll(/^\[(\d+)\]:\s+(-?[\d.]+)/gm), (m) => [Number(m[1]), Number(m[2])]),
  );
}

/** Float32 input registers (FC04, high word first: mbpoll -B) from `address`. */
async function floats(port: number, address: number, count: number): Promise<Map<number, number>> {
  return values(
    await mbpoll(port, ['-r', String(address), '-t', '3:float', '-B', '-c', String(count)]),
  );
}

describe('meter simulator, cross-checked with mbpoll', () => {
  it('serves pinned SDM630 input registers as big-endian float32', async () => {
    const { meter, port } = await startSimulatedMeter();
    meter.setValue('voltageL1', 231.5);
    meter.setValue('voltageL2', 229.75);
    meter.setValue('voltageL3', 230);
    meter.setValue('importActiveEnergy', 1234.5);

    expect(await floats(port, 0, 3)).toEqual(
      new Map([
        [0, 231.5],
        [2, 229.75],
        [4, 230],
      ]),
    );
    expect((await floats(port, 0x48, 1)).get(0x48)).toBe(1234.5);
    // Raw registers: 231.5 = 0x43678000, high word first.
    expect(await mbpoll(port, ['-r', '0', '-t', '3:hex', '-c', '2'])).toMatch(
      /\[0\]:\s+0x4367\s*\n\[1\]:\s+0x8000/,
    );
  });

  it('serves a plausible, moving load whose energy counter only grows', async () => {
    const { port } = await startSimulatedMeter({ tickMs: 20, seed: 7 });
    const first = await floats(port, 0, 18);
    for (const address of [0, 2, 4]) {
      expect(first.get(address)).toBeGreaterThanOrEqual(230 * 0.98 - 0.01);
      expect(first.get(address)).toBeLessThanOrEqual(230 * 1.02 + 0.01);
    }
    for (const address of [6, 8, 10]) {
      expect(first.get(address)).toBeGreaterThanOrEqual(5 - 0.01);
      expect(first.get(address)).toBeLessThanOrEqual(40 + 0.01);
    }
    for (const phase of [0, 2, 4]) {
      const voltage = first.get(phase) ?? 0;
      const current = first.get(phase + 6) ?? 0;
      const active = first.get(phase + 12) ?? 0;
      // mbpoll prints 6 decimals; P = V·I·pf with pf between 0.9 and 1.
      expect(active).toBeLessThanOrEqual(voltage * current * 1.0001);
      expect(active).toBeGreaterThanOrEqual(voltage * current * 0.9);
    }
    const frequency = (await floats(port, 0x46, 1)).get(0x46) ?? 0;
    expect(Math.abs(frequency - 50)).toBeLessThan(0.1);

    const energy = async () => await floats(port, 0x48, 2);
    const before = await energy();
    const after = await waitFor(
      'the import energy counter to advance',
      async () => {
        const now = await energy();
        return (now.get(0x48) ?? 0) > (before.get(0x48) ?? 0) ? now : undefined;
      },
      10_000,
    );
    expect(after.get(0x4a)).toBeGreaterThanOrEqual(before.get(0x4a) ?? Infinity);
  });

  it('answers an unmapped address with exception 2, illegal data address', async () => {
    const { port } = await startSimulatedMeter();
    expect(await mbpollFailure(port, ['-r', '600', '-t', '3', '-c', '2'])).toMatch(
      /Illegal data address/i,
    );
    expect(await mbpollFailure(port, ['-r', '0', '-t', '4', '-c', '2'])).toMatch(
      /Illegal data address/i,
    );
  });

  it('runs as a process: meter-cli prints where it listens, answers mbpoll, and stops on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=development',
        '--import',
        'tsx',
        METER_CLI,
        '--port',
        '0',
        '--unit',
        '1',
        '--pin',
        'voltageL1=231.5',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const line = await Promise.race([
      waitFor(
        'the listening line',
        () => /^meter simulator listening on 127\.0\.0\.1:(\d+) unit 1\n/.exec(stdout) ?? undefined,
        20_000,
      ),
      exited.then((code) => {
        throw new Error(`meter-cli exited with ${String(code)}: ${stderr}`);
      }),
    ]);
    const port = Number(line[1]);
    expect(port).toBeGreaterThan(0);
    expect((await floats(port, 0, 1)).get(0)).toBe(231.5);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toBe(`meter simulator listening on 127.0.0.1:${port} unit 1\n`);
  });
});
