import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startMeter } from '../helpers/meter.js';

const MBPOLL = '/usr/bin/mbpoll';
const run = promisify(execFile);

/** Reads with Debian's mbpoll, a Modbus master nobody here wrote. */
async function mbpoll(port: number, args: string[]): Promise<string> {
  if (!existsSync(MBPOLL)) throw new Error(`${MBPOLL} is missing: apt-get install mbpoll (scripts/setup.sh does it)`);
  // -0: 0-based PDU addresses, -B: big-endian word order, -1: poll once.
  const { stdout } = await run(MBPOLL, ['-m', 'tcp', '-p', String(port), '-a', '1', '-0', '-B', '-1', ...args, '127.0.0.1'], { timeout: 10_000 });
  return stdout;
}

function floats(output: string): Map<number, number> {
  return new Map(Array.from(output.matchAll(/^\[(\d+)\]:\s+(-?[\d.]+)/gm), (m) => [Number(m[1]), Number(m[2])]));
}

describe('meter simulator, cross-checked with mbpoll', () => {
  it('serves the SDM630 input registers as big-endian float32', async () => {
    const { meter, port } = await startMeter();
    meter.setValue('voltageL1', 231.5);
    meter.setValue('voltageL2', 229.75);
    meter.setValue('voltageL3', 230);
    meter.setValue('importActiveEnergy', 1234.5);

    expect(floats(await mbpoll(port, ['-r', '0', '-t', '3:float', '-c', '3']))).toEqual(new Map([[0, 231.5], [2, 229.75], [4, 230]]));
    expect(floats(await mbpoll(port, ['-r', '72', '-t', '3:float', '-c', '1'])).get(72)).toBe(1234.5);
  });

  it('answers an unmapped address with exception 2, illegal data address', async () => {
    const { port } = await startMeter();
    const failure = await mbpoll(port, ['-r', '600', '-t', '3', '-c', '2']).then(
      (out) => out,
      (err: unknown) => {
        const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
        return stdout + stderr;
      },
    );
    expect(failure).toMatch(/Illegal data address/i);
  });
});
