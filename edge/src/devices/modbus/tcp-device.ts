import modbusSerial from 'modbus-serial';
import type { ReadRequest } from './read-plan.js';

// modbus-serial is CommonJS and sets `module.exports.default = module.exports`, which is the
// client class at run time and what its typings call `default`.
const ModbusRTU = modbusSerial.default;
type ModbusClient = InstanceType<typeof ModbusRTU>;

export type ReadFailure = 'timeout' | 'exception' | 'error';

/** One Modbus TCP connection to one unit id (modbus-serial underneath). */
export class TcpDevice {
  private client: ModbusClient | undefined;

  constructor(private readonly options: { host: string; port: number; unitId: number; timeoutMs: number }) {}

  async read(request: ReadRequest): Promise<number[]> {
    const client = await this.connected();
    switch (request.kind) {
      case 'input':
        return (await client.readInputRegisters(request.address, request.count)).data;
      case 'holding':
        return (await client.readHoldingRegisters(request.address, request.count)).data;
      case 'coil':
        return (await client.readCoils(request.address, request.count)).data.slice(0, request.count).map(Number);
      case 'discrete':
        return (await client.readDiscreteInputs(request.address, request.count)).data.slice(0, request.count).map(Number);
    }
  }

  close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client?.isOpen) return Promise.resolve();
    return new Promise((resolve) => {
      client.close(() => {
        resolve();
      });
    });
  }

  private async connected(): Promise<ModbusClient> {
    if (this.client?.isOpen) return this.client;
    await this.close();
    const client = new ModbusRTU();
    await client.connectTCP(this.options.host, { port: this.options.port });
    client.setID(this.options.unitId);
    client.setTimeout(this.options.timeoutMs);
    this.client = client;
    return client;
  }
}

/** Sorts a failed read into the kinds the status and the counters distinguish. */
export function classifyFailure(err: unknown): ReadFailure {
  const error = err as { name?: string; message?: string; modbusCode?: number; errno?: string };
  if (typeof error.modbusCode === 'number') return 'exception';
  if (error.name === 'TransactionTimedOutError' || /timed out/i.test(error.message ?? '')) return 'timeout';
  return 'error';
}
