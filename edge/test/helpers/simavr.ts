import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const FIRMWARE_DIR = fileURLToPath(new URL('../../../firmware/', import.meta.url));
export const FIRMWARE_ELF = `${FIRMWARE_DIR}build/coupler.elf`;
export const FIRMWARE_HEX = `${FIRMWARE_DIR}build/coupler.hex`;
/** Optiboot rebuilt from Debian's source (its prebuilt 328P hex overruns the boot section). */
export const OPTIBOOT_HEX = `${FIRMWARE_DIR}build/optiboot_atmega328.hex`;
const AVRSIM = `${FIRMWARE_DIR}build/avrsim`;
const INSTALL_HINT =
  'install the Debian packages with scripts/setup.sh (gcc-avr avr-libc arduino-core-avr simavr libsimavr-dev libelf-dev pkg-config build-essential)';
const BUILD_TIMEOUT_MS = 180_000;
const PTY_TIMEOUT_MS = 5_000;
/** Every emulator is bounded: it exits by itself after this much simulated time. */
const EMULATOR_LIFETIME_SECONDS = 300;

/**
 * Builds the firmware ELF and the emulation harness from source (make, incremental). Fails,
 * never skips, when the toolchain is missing. flock keeps parallel test files from building
 * into the same folder at once.
 */
export async function buildFirmware(): Promise<void> {
  for (const tool of ['avr-gcc', 'make', 'flock', 'pkg-config']) {
    try {
      await promisify(execFile)('sh', ['-c', `command -v ${tool}`]);
    } catch {
      throw new Error(`${tool} is not installed, so the Arduino firmware cannot be built: ${INSTALL_HINT}`);
    }
  }
  mkdirSync(`${FIRMWARE_DIR}build`, { recursive: true });
  try {
    await promisify(execFile)('flock', [`${FIRMWARE_DIR}build/.lock`, 'make', '-C', FIRMWARE_DIR, '-s', 'all', 'optiboot'], { timeout: BUILD_TIMEOUT_MS });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`building the Arduino firmware failed (make -C firmware): ${stderr.trim().split('\n').slice(-5).join(' | ')}; ${INSTALL_HINT}`, { cause: err });
  }
  for (const built of [FIRMWARE_ELF, FIRMWARE_HEX, OPTIBOOT_HEX, AVRSIM]) {
    if (!existsSync(built)) throw new Error(`make -C firmware did not produce ${built}`);
  }
}

/** The firmware's framing code compiled for this machine (gcc, sanitizers) and run on the shared vectors. */
export async function runFirmwareHostTests(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('flock', [`${FIRMWARE_DIR}build/.lock`, 'make', '-C', FIRMWARE_DIR, '-s', 'host-test'], { timeout: BUILD_TIMEOUT_MS });
    return stdout.trim();
  } catch (err) {
    const output = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`;
    throw new Error(`the firmware's host tests failed (make -C firmware host-test): ${output.trim()}`, { cause: err });
  }
}

export interface SimavrOptions {
  /** Reset the MCU whenever the pty is opened, as DTR does on a real Uno. */
  isResetOnOpen?: boolean;
  /** EEPROM image loaded at start and written at exit: a power cycle keeps it. */
  eepromFile?: string;
  firmware?: string;
  bootloader?: string;
}

export interface Simavr {
  /** The pty the firmware's UART0 is on. */
  path: string;
  pid: number;
  /** Pulses the reset pin. */
  reset(): void;
  /** Changes of the digital outputs D2-D13 so far, as `D13=1`, oldest first. */
  outputs(): string[];
  /** Drives a digital input pin from outside, as a contact would (0: closed to ground). */
  setInput(pin: number, level: 0 | 1): void;
  /** Ends the emulator (SIGTERM; SIGKILL after 3 s) and waits for it. */
  close(): Promise<void>;
}

/** The real firmware on an emulated ATmega328P (firmware/harness/avrsim.c), UART0 on a pty. */
export async function startSimavr(options: SimavrOptions = {}): Promise<Simavr> {
  const args = ['-t', String(EMULATOR_LIFETIME_SECONDS)];
  if (options.isResetOnOpen) args.push('-r');
  if (options.eepromFile) args.push('-e', options.eepromFile);
  if (options.bootloader) args.push('-b', options.bootloader);
  if (options.firmware !== '') args.push(options.firmware ?? FIRMWARE_ELF);
  const child = spawn(AVRSIM, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const path = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { fail(new Error(`avrsim printed no PTY line in ${PTY_TIMEOUT_MS} ms: ${stderr}`)); }, PTY_TIMEOUT_MS);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.once('error', (err) => { fail(new Error(`cannot start ${AVRSIM}: ${err.message}; build it with buildFirmware()`, { cause: err })); });
    const onEarlyExit = (code: number | null) => { fail(new Error(`avrsim exited (${code}) before its PTY line: ${stderr}`)); };
    child.once('exit', onEarlyExit);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^PTY (\S+)$/m.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        child.off('exit', onEarlyExit);
        resolve(match[1]);
      }
    });
  });
  return {
    path,
    pid: child.pid ?? 0,
    reset: () => child.kill('SIGUSR1'),
    setInput: (pin, level) => child.stdin.write(`IN D${pin} ${level}\n`),
    outputs: () => Array.from(stdout.matchAll(/^OUT (D\d+) ([01])$/gm), (match) => `${match[1] ?? ''}=${match[2] ?? ''}`),
    close: () => stopChild(child, exited),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}
