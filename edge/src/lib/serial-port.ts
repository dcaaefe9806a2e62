import type { SerialPort } from 'serialport';

let loading: Promise<typeof SerialPort> | undefined;

/**
 * serialport and its native binding, imported on first use: a gateway with no serial device
 * (Modbus TCP only) never loads them (docs/decisions/0015). A failed import is tried again.
 */
export function loadSerialPort(): Promise<typeof SerialPort> {
  loading ??= import('serialport').then(
    (module) => module.SerialPort,
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}
