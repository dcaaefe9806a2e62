import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

const PEER = fileURLToPath(new URL('../peers/pymodbus_meter.py', import.meta.url));
// Debian's interpreter: a python3 earlier on PATH (pyenv) does not see Debian's python3-* packages.
const PYTHON = '/usr/bin/python3';
const INSTALL_HINT =
  'apt-get install python3-pymodbus python3-serial-asyncio (scripts/setup.sh installs them)';

export interface PymodbusMeter {
  stop(): Promise<void>;
}

/** Debian's pymodbus serving test/peers/pymodbus_meter.py over RTU on the serial port or pty `port`. */
export function startPymodbusRtu(
  port: string,
  units: readonly number[],
  baudRate = 9600,
): Promise<PymodbusMeter> {
  return startPeer(['--port', port, '--baud', String(baudRate)], units);
}

/** The same meter over Modbus TCP on 127.0.0.1:`port`. */
export function startPymodbusTcp(port: number, units: readonly number[]): Promise<PymodbusMeter> {
  return startPeer(['--tcp', `127.0.0.1:${port}`], units);
}

/**
 * Runs the peer for `units`; other unit ids get no answer. Resolves once it serves; stopped
 * when the test finishes.
 */
async function startPeer(args: string[], units: readonly number[]): Promise<PymodbusMeter> {
  const child: ChildProcess = spawn(
    PYTHON,
    [PEER, ...args, '--units', units.join(','), '--stop-after', '120'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        resolve();
      }),
    );
    child.kill('SIGTERM');
    await exited;
  };
  onTestFinished(stop);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`pymodbus did not start in 10 s: ${stderr}`));
    }, 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const hint = stderr.includes('ModuleNotFoundError') ? `; ${INSTALL_HINT}` : '';
      reject(new Error(`pymodbus exited with ${String(code)}: ${stderr}${hint}`));
    });
  });
  return { stop };
}
