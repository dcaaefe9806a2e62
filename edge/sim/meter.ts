import type { Server } from 'node:net';
import { ServerTCP } from 'modbus-serial';
import { RegisterBank } from './register-bank.js';

export interface MeterSimulatorOptions {
  /** Built-in profile name or profile file; default `eastron-sdm630`. */
  profile?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port, which start() returns. */
  port?: number;
  /** The only unit id answered; default 1. Requests for another unit get no answer, as on a bus. */
  unitId?: number;
  /** Seeds the load curve, so two meters differ; default 1. */
  seed?: number;
  /** How often the values move; between ticks every read returns the same values. Default 1000. */
  tickMs?: number;
  /** Wall clock, injectable; default Date.now. */
  now?: () => number;
  /** Socket and server errors after start; default ignores them (a client hanging up mid-request). */
  onError?: (err: Error) => void;
}

/**
 * A Modbus TCP meter serving a device profile's registers, for the demo, for load and for
 * tests; never imported by src/. Values come from MeterModel (plausible, moving each tick,
 * energy counters that only grow) unless pinned with setValue. Addresses the profile does not
 * map answer exception 2.
 */
export class MeterSimulator {
  private server: ServerTCP | undefined;
  private starting: Promise<number> | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private bank: RegisterBank | undefined;

  constructor(private readonly options: MeterSimulatorOptions = {}) {}

  /** Listens, and resolves with the port bound (the one chosen by the system when port is 0). */
  start(): Promise<number> {
    this.starting ??= this.listen().catch((err: unknown) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    const starting = this.starting;
    this.starting = undefined;
    if (starting === undefined) return;
    await starting.catch(() => undefined);
    clearInterval(this.ticker);
    this.ticker = undefined;
    const server = this.server;
    this.server = undefined;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    }
  }

  /** Open client connections, so a test can see a poller hang up. */
  get clientCount(): number {
    return this.server?.socks.size ?? 0;
  }

  /** Pins a signal to a value in engineering units (before the profile's scale and offset); it stops drifting. */
  setValue(name: string, value: number): void {
    this.registers().setValue(name, value);
  }

  /** The value a read returns now, in engineering units. */
  getValue(name: string): number {
    return this.registers().getValue(name);
  }

  private registers(): RegisterBank {
    this.bank ??= new RegisterBank({
      profile: this.options.profile,
      seed: this.options.seed,
      now: this.options.now,
    });
    return this.bank;
  }

  private async listen(): Promise<number> {
    const { host = '127.0.0.1', port = 0, unitId = 1, tickMs = 1000 } = this.options;
    const bank = this.registers();
    bank.tick();
    const server = new ServerTCP(
      {
        getInputRegister: (address: number) => bank.word('input', address),
        getHoldingRegister: (address: number) => bank.word('holding', address),
        getCoil: (address: number) => bank.word('coil', address) !== 0,
        getDiscreteInput: (address: number) => bank.word('discrete', address) !== 0,
      },
      // modbus-serial 8 servertcp.js listens on `options.port || 502`, so port 0 would become
      // 502. The string "0" is truthy and net.Server.listen accepts it: any free port.
      { host, port: port === 0 ? ('0' as unknown as number) : port, unitID: unitId },
    );
    await new Promise<void>((resolve, reject) => {
      server.once('initialized', resolve);
      server.once('serverError', reject);
    });
    server.removeAllListeners('serverError');
    const report = (err: Error | null): void => {
      if (err) this.options.onError?.(err);
    };
    server.on('serverError', report);
    server.on('socketError', report);
    server.on('error', report);
    this.server = server;
    this.ticker = setInterval(() => {
      bank.tick();
    }, tickMs);
    return listeningPort(server);
  }
}

/** The port ServerTCP's inner net.Server is bound to; modbus-serial keeps it in `_server`. */
function listeningPort(server: ServerTCP): number {
  const inner = (server as unknown as { _server?: Server })._server;
  const address = inner?.address();
  if (address === null || address === undefined || typeof address === 'string')
    throw new Error(
      'modbus-serial ServerTCP no longer exposes its net.Server as _server; cannot tell the bound port',
    );
  return address.port;
}
