import type { RegisterKind } from './codec.js';

/** How a failed request is counted: no answer in time, a Modbus exception, a corrupt answer, anything else. */
export type ReadFailure = 'timeout' | 'exception' | 'crc' | 'error';

/** What a device loop reads through: one TCP connection, or one unit id on a shared RTU bus. */
export interface ModbusTransport {
  /** `count` registers as 16-bit words, or `count` bits as 0/1, from the 0-based wire `address`. */
  read(kind: RegisterKind, address: number, count: number): Promise<number[]>;
  /** Drops what a failed request may have left behind; the next read starts afresh. */
  close(): Promise<void>;
}

/** A failed request, sorted as the device counters count it. */
export class ModbusFailure extends Error {
  constructor(
    readonly failure: ReadFailure,
    message: string,
    /** The exception code of an exception answer. */
    readonly modbusCode?: number,
  ) {
    super(message);
    this.name = 'ModbusFailure';
  }
}

/** Sorts a failed request into the kinds that the counters and the device status distinguish. */
export function classifyFailure(err: unknown): ReadFailure {
  const error = (err ?? {}) as { modbusCode?: unknown; failure?: unknown };
  // A ModbusFailure says what it is.
  if (
    error.failure === 'timeout' ||
    error.failure === 'exception' ||
    error.failure === 'crc' ||
    error.failure === 'error'
  )
    return error.failure;
  if (typeof error.modbusCode === 'number') return 'exception';
  return 'error';
}

/** The message of a failure, whatever was thrown. */
export function describeFailure(err: unknown): string {
  if (err instanceof Error) return err.message;
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(err);
}
