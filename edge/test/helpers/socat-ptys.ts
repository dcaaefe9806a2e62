import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

export interface SocatPtys {
  /** Two linked pseudo-terminals: bytes written to one are read from the other. */
  a: string;
  b: string;
  close(): Promise<void>;
}

/** A raw pty pair made by socat, its links in `dir`; fails with the install hint when socat is missing. */
export async function socatPtys(dir: string): Promise<SocatPtys> {
  const a = join(dir, 'pty-a');
  const b = join(dir, 'pty-b');
  const child = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  const failed = new Promise<never>((_resolve, reject) => {
    child.once('error', (err) => { reject(new Error(`cannot run socat (apt-get install socat, or scripts/setup.sh): ${err.message}`)); });
  });
  await Promise.race([waitFor('socat pty links', () => existsSync(a) && existsSync(b), 5_000, 20), failed]);
  return {
    a,
    b,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
