import { ALL_ANALOG_CHANNELS, encodeSetConfig, encodeSetOutput, type CommandResult, type DeviceSettings, type Hello } from './messages.js';

/** What the gateway wants a device on a port to be (from configuration). */
export interface DesiredDevice {
  deviceId: string;
  intervalMs: number;
  channelMask: number;
  /** Digital inputs D2-D13 (bit n = Dn); none when absent. */
  digitalMask?: number;
}

/**
 * What to do with a device that said HELLO. A device without identity gets the configured
 * one (stored in its EEPROM) before any reading is taken from it; a device with another
 * identity is refused (it is not the device configured on this port); a device whose
 * interval or channels differ is served and reconfigured.
 */
export type Admission = { kind: 'accept'; reconfigure?: DeviceSettings } | { kind: 'provision'; settings: DeviceSettings } | { kind: 'refuse'; reason: string };

export function admitDevice(hello: Hello, desired: DesiredDevice): Admission {
  const settings = { intervalMs: desired.intervalMs, channelMask: desired.channelMask & ALL_ANALOG_CHANNELS, digitalMask: desired.digitalMask ?? 0 };
  if (hello.deviceId === '') return { kind: 'provision', settings: { ...settings, deviceId: desired.deviceId } };
  if (hello.deviceId !== desired.deviceId) {
    return { kind: 'refuse', reason: `the device on this port is ${hello.deviceId}, the configuration expects ${desired.deviceId}` };
  }
  const isConfigured = hello.intervalMs === settings.intervalMs && hello.channelMask === settings.channelMask && hello.digitalMask === settings.digitalMask;
  return isConfigured ? { kind: 'accept' } : { kind: 'accept', reconfigure: { ...settings, deviceId: '' } };
}

/** PROTOCOL.md §5: a command without RESULT is sent again, with the same sequence, this often. */
export const COMMAND_RETRY_MS = 500;
export const COMMAND_ATTEMPTS = 5;

/**
 * Sends commands to one device and matches their RESULTs. A retry keeps the command sequence,
 * so the device answers it again without applying it twice.
 */
export class CommandChannel {
  private nextSequence = 1;
  private readonly waiting = new Map<number, (result: CommandResult) => void>();

  constructor(private readonly send: (body: Uint8Array) => void) {}

  /** SET_CONFIG: resolves with the device's status, or rejects after COMMAND_ATTEMPTS without an answer. */
  configure(settings: DeviceSettings, signal?: AbortSignal): Promise<CommandResult['status']> {
    return this.run('SET_CONFIG', (sequence) => encodeSetConfig(sequence, settings), signal);
  }

  /** SET_OUTPUT: drives a digital pin; resolves with the device's status. */
  setOutput(pin: number, isHigh: boolean, signal?: AbortSignal): Promise<CommandResult['status']> {
    return this.run('SET_OUTPUT', (sequence) => encodeSetOutput(sequence, pin, isHigh), signal);
  }

  private async run(name: string, encode: (sequence: number) => Uint8Array, signal?: AbortSignal): Promise<CommandResult['status']> {
    const sequence = this.nextSequence;
    const body = encode(sequence);
    this.nextSequence = (this.nextSequence % 0xffff) + 1;
    const answered = new Promise<CommandResult>((resolve) => this.waiting.set(sequence, resolve));
    try {
      for (let attempt = 1; attempt <= COMMAND_ATTEMPTS; attempt++) {
        signal?.throwIfAborted();
        this.send(body);
        const result = await Promise.race([answered, delay(COMMAND_RETRY_MS, signal)]);
        if (result) return result.status;
      }
      throw new Error(`${name} ${sequence} got no RESULT after ${COMMAND_ATTEMPTS} attempts`);
    } finally {
      this.waiting.delete(sequence);
    }
  }

  resultReceived(result: CommandResult): void {
    this.waiting.get(result.commandSequence)?.(result);
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(undefined);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

