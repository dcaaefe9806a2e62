import type { SerialPort } from 'serialport';
import { CouplerError } from '@coupler/kit';
import { EdgeErrorCode } from '../../errors.js';
import { loadSerialPort } from '../../lib/index.js';
import type { FlashImage } from './intel-hex.js';

// STK500 protocol v1 (Atmel AVR061), the subset Optiboot answers.
const STK_OK = 0x10;
const STK_INSYNC = 0x14;
const CRC_EOP = 0x20;
const STK_GET_SYNC = 0x30;
const STK_GET_PARAMETER = 0x41;
const STK_ENTER_PROGMODE = 0x50;
const STK_LEAVE_PROGMODE = 0x51;
const STK_LOAD_ADDRESS = 0x55;
const STK_PROG_PAGE = 0x64;
const STK_READ_PAGE = 0x74;
const STK_READ_SIGN = 0x75;
const PARAMETER_SW_MAJOR = 0x81;
const PARAMETER_SW_MINOR = 0x82;
const MEMORY_FLASH = 0x46; // 'F'

/** ATmega328P: 128-byte pages; Optiboot occupies the top 512 bytes (BOOTSZ 256 words). */
export const ATMEGA328P = { signature: '1e950f', pageBytes: 128, applicationBytes: 0x7e00 } as const;
/** Optiboot waits about 1 s after an external reset before it starts the application. */
const SYNC_WINDOW_MS = 2_500;
const SYNC_ATTEMPT_MS = 100;
const ANSWER_TIMEOUT_MS = 1_000;

export interface FlashOptions {
  path: string;
  baudRate?: number;
  image: FlashImage;
  signal?: AbortSignal;
}

export interface FlashResult {
  bytesWritten: number;
  pages: number;
  bootloaderVersion: string;
  durationMs: number;
}

/**
 * Writes an application image into an Arduino Uno through its Optiboot bootloader and checks
 * it by reading every page back. Opening the port resets the board (DTR on a real Uno; the
 * emulator's reset-on-open), which starts Optiboot; leaving programming mode starts the new
 * application. Throws an Error naming the step and what went wrong; the port is closed either way.
 */
export async function flashArduino(options: FlashOptions): Promise<FlashResult> {
  const { image } = options;
  if (image.bytes.length === 0) throw flashError('the firmware image is empty');
  if (image.bytes.length > ATMEGA328P.applicationBytes) {
    throw flashError(`the firmware image is ${image.bytes.length} bytes; at most ${ATMEGA328P.applicationBytes} fit below the bootloader`);
  }
  const startedAt = performance.now();
  return withBootloader(options, 'flash it', async (link, bootloaderVersion) => {
    await link.request([STK_ENTER_PROGMODE], 0, 'ENTER_PROGMODE');
    const pages = pagesOf(image.bytes);
    for (const { address, bytes } of pages) {
      await link.loadAddress(address);
      await link.request([STK_PROG_PAGE, 0, bytes.length, MEMORY_FLASH, ...bytes], 0, `PROG_PAGE 0x${address.toString(16)}`);
    }
    for (const { address, bytes } of pages) {
      const readBack = await link.readPage(address);
      const differsAt = bytes.findIndex((byte, index) => readBack[index] !== byte);
      if (differsAt >= 0) throw flashError(`verification failed: flash byte 0x${(address + differsAt).toString(16)} reads 0x${(readBack[differsAt] ?? 0).toString(16)}, written 0x${(bytes[differsAt] ?? 0).toString(16)}`);
    }
    await link.request([STK_LEAVE_PROGMODE], 0, 'LEAVE_PROGMODE');
    return { bytesWritten: image.bytes.length, pages: pages.length, bootloaderVersion, durationMs: Math.round(performance.now() - startedAt) };
  });
}

export interface ReadFlashResult {
  /** The application section from address 0, trailing erased (all 0xFF) pages left out; empty when nothing is programmed. */
  bytes: Uint8Array;
  pagesRead: number;
  bootloaderVersion: string;
  durationMs: number;
}

/**
 * Reads the application section (everything below the bootloader) back through Optiboot, as
 * the flash step verifies pages: the firmware running now, kept so an update can restore it.
 * Leaving programming mode starts the application again.
 */
export async function readArduinoFlash(options: Omit<FlashOptions, 'image'>): Promise<ReadFlashResult> {
  const startedAt = performance.now();
  return withBootloader(options, 'read its flash', async (link, bootloaderVersion) => {
    await link.request([STK_ENTER_PROGMODE], 0, 'ENTER_PROGMODE');
    const flash = new Uint8Array(ATMEGA328P.applicationBytes);
    let used = 0;
    for (let address = 0; address < ATMEGA328P.applicationBytes; address += ATMEGA328P.pageBytes) {
      const page = await link.readPage(address);
      flash.set(page, address);
      if (page.some((byte) => byte !== 0xff)) used = address + ATMEGA328P.pageBytes;
    }
    await link.request([STK_LEAVE_PROGMODE], 0, 'LEAVE_PROGMODE');
    return { bytes: flash.slice(0, used), pagesRead: ATMEGA328P.applicationBytes / ATMEGA328P.pageBytes, bootloaderVersion, durationMs: Math.round(performance.now() - startedAt) };
  });
}

/**
 * Opens the port (which resets the board into Optiboot), syncs, checks the device is an
 * ATmega328P, and runs `work` with the link and the bootloader's version; the port is closed either way.
 */
async function withBootloader<T>(options: Omit<FlashOptions, 'image'>, purpose: string, work: (link: Stk500Link, bootloaderVersion: string) => Promise<T>): Promise<T> {
  const SerialPortClass = await loadSerialPort();
  const port = new SerialPortClass({ path: options.path, baudRate: options.baudRate ?? 115_200, autoOpen: false });
  await new Promise<void>((resolve, reject) => {
    port.open((err) => {
      if (err) reject(flashError(`cannot open ${options.path} to ${purpose}: ${err.message}`, err));
      else resolve();
    });
  });
  const link = new Stk500Link(port, options.signal);
  try {
    await pulseDtr(port);
    await link.sync();
    const signature = (await link.request([STK_READ_SIGN], 3, 'READ_SIGN')).toString('hex');
    if (signature !== ATMEGA328P.signature) throw flashError(`the device signature is ${signature}, not an ATmega328P (${ATMEGA328P.signature})`);
    const major = (await link.request([STK_GET_PARAMETER, PARAMETER_SW_MAJOR], 1, 'GET_PARAMETER'))[0] ?? 0;
    const minor = (await link.request([STK_GET_PARAMETER, PARAMETER_SW_MINOR], 1, 'GET_PARAMETER'))[0] ?? 0;
    return await work(link, `${major}.${minor}`);
  } finally {
    link.close();
    await new Promise<void>((resolve) => {
      if (port.isOpen) port.close(() => { resolve(); });
      else resolve();
    });
  }
}

function pagesOf(bytes: Uint8Array): { address: number; bytes: number[] }[] {
  const pages = [];
  for (let address = 0; address < bytes.length; address += ATMEGA328P.pageBytes) {
    const page = new Array<number>(ATMEGA328P.pageBytes).fill(0xff);
    bytes.subarray(address, address + ATMEGA328P.pageBytes).forEach((byte, index) => (page[index] = byte));
    pages.push({ address, bytes: page });
  }
  return pages;
}

function flashError(message: string, cause?: unknown): CouplerError {
  return new CouplerError(EdgeErrorCode.arduinoFlashFailed, message, { cause });
}

/** A real Uno resets on the DTR edge. A pty has no modem lines: the open itself must do. */
async function pulseDtr(port: SerialPort): Promise<void> {
  const set = (dtr: boolean) =>
    new Promise<void>((resolve, reject) => {
      port.set({ dtr, rts: dtr }, (err) => {
        if (err) reject(err);
        else resolve();
      });
    });
  try {
    await set(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await set(true);
  } catch {
    // Inappropriate ioctl on a pty (the emulator resets on open instead): nothing to pulse.
  }
}

/** Request/answer over the port: every answer is INSYNC, payload, OK. */
class Stk500Link {
  private received = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private readonly onData = (chunk: Buffer) => {
    this.received = Buffer.concat([this.received, chunk]);
    this.wake?.();
  };

  constructor(
    private readonly port: SerialPort,
    private readonly signal: AbortSignal | undefined,
  ) {
    port.on('data', this.onData);
  }

  close(): void {
    this.port.off('data', this.onData);
  }

  /** GET_SYNC until Optiboot answers, then once more on a clean line so answers stay aligned. */
  async sync(): Promise<void> {
    const deadline = performance.now() + SYNC_WINDOW_MS;
    while (performance.now() < deadline) {
      this.signal?.throwIfAborted();
      this.received = Buffer.alloc(0);
      this.port.write(Buffer.from([STK_GET_SYNC, CRC_EOP]));
      await this.waitFor(2, SYNC_ATTEMPT_MS);
      if (this.received.includes(Buffer.from([STK_INSYNC, STK_OK]))) {
        await new Promise((resolve) => setTimeout(resolve, 2 * SYNC_ATTEMPT_MS));
        this.received = Buffer.alloc(0);
        await this.request([STK_GET_SYNC], 0, 'GET_SYNC');
        return;
      }
    }
    throw flashError(`the bootloader did not answer GET_SYNC within ${SYNC_WINDOW_MS} ms of the reset (is Optiboot installed, and does opening the port reset the board?)`);
  }

  async loadAddress(byteAddress: number): Promise<void> {
    const word = byteAddress >> 1;
    await this.request([STK_LOAD_ADDRESS, word & 0xff, word >> 8], 0, `LOAD_ADDRESS 0x${byteAddress.toString(16)}`);
  }

  async readPage(address: number): Promise<Buffer> {
    await this.loadAddress(address);
    return this.request([STK_READ_PAGE, 0, ATMEGA328P.pageBytes, MEMORY_FLASH], ATMEGA328P.pageBytes, `READ_PAGE 0x${address.toString(16)}`);
  }

  async request(command: number[], payloadBytes: number, what: string): Promise<Buffer> {
    this.signal?.throwIfAborted();
    this.received = Buffer.alloc(0);
    this.port.write(Buffer.from([...command, CRC_EOP]));
    const expected = payloadBytes + 2;
    await this.waitFor(expected, ANSWER_TIMEOUT_MS);
    const answer = this.received;
    if (answer.length < expected) throw flashError(`${what}: the bootloader answered ${answer.length} of ${expected} bytes in ${ANSWER_TIMEOUT_MS} ms`);
    if (answer[0] !== STK_INSYNC || answer[expected - 1] !== STK_OK) {
      throw flashError(`${what}: the bootloader answered ${answer.subarray(0, 8).toString('hex')}, not INSYNC ... OK`);
    }
    return answer.subarray(1, 1 + payloadBytes);
  }

  private async waitFor(length: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.received.length < length) {
      const left = deadline - performance.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
