import modbusSerial from 'modbus-serial';
import type { RegisterKind } from './codec.js';
import type { ModbusTransport, ReadFailure } from './transport.js';

// modbus-serial is CommonJS and sets `module.exports.default = module.exports`, which is the
// client class at run time and what its typings call `default`.
const ModbusRTU = modbusSerial.default;
type ModbusClient = InstanceType<typeof ModbusRTU>;

export interface ModbusTcpClientOptions {
  host: string;
  port: number;
  unitId: number;
  /** Bounds the TCP connect and each request. */
  timeoutMs: number;
}

/**
 * One Modbus TCP connection to one unit id, over modbus-serial's ModbusRTU. Connects on the
 * first read and again after close(); the constructor only stores its options.
 */
export class ModbusTcpClient implements ModbusTransport {
  private client: ModbusClient | undefined;

  constructor(private readonly options: ModbusTcpClientOptions) {}

  get isConnected(): boolean {
    return this.client?.isOpen === true;
  }

  /**
   * Reads `count` registers (FC3 holding, FC4 input) as 16-bit words, or `count` bits
   * (FC1 coil, FC2 discrete input) as 0/1, starting at the 0-based wire `address`.
   */
  async read(kind: RegisterKind, address: number, count: number): Promise<number[]> {
    const client = await this.connected();
    switch (kind) {
      case 'coil':
        return (await client.readCoils(address, count)).data.slice(0, count).map(Number);
      case 'discrete':
        return (await client.readDiscreteInputs(address, count)).data.slice(0, count).map(Number);
      case 'holding':
        return (await client.readHoldingRegisters(address, count)).data;
      case 'input':
        return (await client.readInputRegisters(address, count)).data;
    }
  }

  /**
   * Drops the socket at once (destroy, not a FIN handshake a hung device may never finish).
   * A request still waiting is abandoned, so callers let it settle first.
   */
  close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      client.destroy(() => {
        resolve();
      });
    });
  }

  private async connected(): Promise<ModbusClient> {
    if (this.client?.isOpen) return this.client;
    await this.close();
    const client = new ModbusRTU();
    // Set before connectTCP, which passes it to the socket as the connect timeout.
    client.setTimeout(this.options.timeoutMs);
    client.setID(this.options.unitId);
    this.client = client;
    try {
      await client.connectTCP(this.options.host, { port: this.options.port });
    } catch (err) {
      await this.close();
      throw err;
    }
    return client;
  }
}

/** Sorts a failed request into the kinds that the counters and the device status distinguish. */
export function classifyFailure(err: unknown): ReadFailure {
  const error = (err ?? {}) as {
    name?: unknown;
    message?: unknown;
    modbusCode?: unknown;
    errno?: unknown;
    failure?: unknown;
  };
  // RtuFailure says what it is.
  if (error.failure === 'timeout' || error.failure === 'crc' || error.failure === 'error')
    return error.failure;
  if (typeof error.modbusCode === 'number') return 'exception';
  // modbus-serial: TransactionTimedOutError (errno ETIMEDOUT, "Timed out"); the TCP port
  // reports a connect timeout as "TCP Connection Timed Out".
  if (
    error.name === 'TransactionTimedOutError' ||
    error.errno === 'ETIMEDOUT' ||
    (typeof error.message === 'string' && /timed out/i.test(error.message))
  )
    return 'timeout';
  return 'error';
}

/** The message of a failure; modbus-serial rejects with plain objects that carry `message`, not Errors. */
export function describeFailure(err: unknown): string {
  if (err instanceof Error) return err.message;
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(err);
}
