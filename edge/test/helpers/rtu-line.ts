import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { waitFor } from './wait-for.js';

export interface RtuLine {
  /** The end a peer (the meter) opens. */
  meterPath: string;
  /** The end the gateway opens: a stable path, like a /dev/serial/by-id link, that survives a replug. */
  gatewayPath: string;
  /** Unplug: socat stops, its links disappear and an open port loses its other end. */
  unplug(): Promise<void>;
  /** Plug in again: a new socat with the same links. */
  plug(): Promise<void>;
}

const INSTALL_HINT = 'socat is missing: apt-get install socat (scripts/setup.sh installs it)';

/**
 * An RS-485 line for tests: two pseudo-terminals linked by socat, in `dir`. socat is stopped
 * when the test finishes (and by `timeout` after two minutes in any case).
 */
export async function startRtuLine(dir: string): Promise<RtuLine> {
  const meterPath = join(dir, 'ttyMETER');
  const gatewayPath = join(dir, 'ttyGATEWAY');
  let socat: ChildProcess | undefined;

  async function plug(): Promise<void> {
    const child = spawn('timeout', ['120', 'socat', `pty,raw,echo=0,link=${meterPath}`, `pty,raw,echo=0,link=${gatewayPath}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    socat = child;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    await waitFor(
      'socat to create the pty links',
      () => {
        if (child.exitCode !== null) throw new Error(child.exitCode === 127 ? INSTALL_HINT : `socat exited: ${stderr}`);
        return existsSync(meterPath) && existsSync(gatewayPath);
      },
      5000,
      10,
    );
  }

  async function unplug(): Promise<void> {
    const child = socat;
    socat = undefined;
    if (child === undefined) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
      // SIGTERM: socat removes its links on the way out, as udev removes a by-id link.
      child.kill('SIGTERM');
      await exited;
    }
    await waitFor('the pty links to disappear', () => !existsSync(meterPath) && !existsSync(gatewayPath), 5000, 10);
  }

  onTestFinished(() => unplug());
  await plug();
  return { meterPath, gatewayPath, unplug, plug };
}
