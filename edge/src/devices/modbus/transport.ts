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
