import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface RunningProcess {
  child: ChildProcess;
  /** Resolves with the exit code when the process ends by itself. */
  exited: Promise<number | null>;
  output: () => string;
  /** Sends the signal and resolves with the exit code once the process is gone (bounded). */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/**
 * Runs a TypeScript entry of this repository as its own process (tsx, workspace sources),
 * killed when the test finishes if it is still running.
 */
export function runTs(
  entry: string,
  args: readonly string[],
  env: Record<string, string> = {},
): RunningProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=development', '--import', 'tsx', entry, ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, 15_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  onTestFinished(async () => {
    await stop('SIGKILL');
  });
  return { child, exited, output: () => output, stop };
}

/** A port that was free a moment ago, for a process that must be told its port up front. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

/** Whether something accepts TCP connections on 127.0.0.1:port now. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}
