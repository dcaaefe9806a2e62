import { ServerTCP } from 'modbus-serial';
import { encodeValue, resolveProfile, WORDS_PER_TYPE, type DeviceProfile, type ProfileRegister } from '../src/devices/modbus/index.js';
import { MeterModel } from './meter-model.js';

export interface MeterSimulatorOptions {
  /** Built-in profile name or profile file. */
  profile?: string;
  host?: string;
  /** modbus-serial's ServerTCP cannot bind port 0, so the port is always explicit. */
  port: number;
  unitId?: number;
  seed?: number;
  now?: () => number;
}

const ILLEGAL_DATA_ADDRESS = 0x02;

/**
 * A Modbus TCP meter serving a device profile's registers with values from MeterModel, or
 * pinned values set by a test. For the demo and for tests; never imported by src/.
 */
export class MeterSimulator {
  private server: ServerTCP | undefined;
  private readonly pinned = new Map<string, number>();
  private readonly profile: DeviceProfile;
  private readonly model: MeterModel;
  private readonly now: () => number;
  /** register kind + address -> the register covering it and the word index within it. */
  private readonly layout = new Map<string, { register: ProfileRegister; word: number }>();

  constructor(private readonly options: MeterSimulatorOptions) {
    this.now = options.now ?? Date.now;
    this.profile = resolveProfile(options.profile ?? 'eastron-sdm630');
    this.model = new MeterModel(this.now(), options.seed ?? 1);
    for (const register of this.profile.registers) {
      const words = register.register === 'coil' || register.register === 'discrete' ? 1 : WORDS_PER_TYPE[register.data_type];
      for (let word = 0; word < words; word++) this.layout.set(`${register.register}:${register.address + word}`, { register, word });
    }
  }

  async start(): Promise<number> {
    if (this.server) return this.options.port;
    const { host = '127.0.0.1', port, unitId = 1 } = this.options;
    const server = new ServerTCP(
      {
        getInputRegister: (address: number) => this.word('input', address),
        getHoldingRegister: (address: number) => this.word('holding', address),
        getCoil: (address: number) => this.word('coil', address) !== 0,
        getDiscreteInput: (address: number) => this.word('discrete', address) !== 0,
      },
      { host, port, unitID: unitId },
    );
    await new Promise<void>((resolve, reject) => {
      server.on('initialized', () => {
        resolve();
      });
      server.on('serverError', reject);
    });
    this.server = server;
    return port;
  }

  /** Pins a signal to a value (in engineering units, before the profile's scale and offset). */
  setValue(name: string, value: number): void {
    if (!this.profile.registers.some((r) => r.name === name)) throw new Error(`profile ${this.profile.name} has no register ${name}`);
    this.pinned.set(name, value);
  }

  getValue(name: string): number {
    return this.pinned.get(name) ?? this.model.valuesAt(this.now()).get(name) ?? 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
  }

  private word(kind: ProfileRegister['register'], address: number): number {
    const slot = this.layout.get(`${kind}:${address}`);
    if (!slot) throw Object.assign(new Error(`no register at ${kind} ${address}`), { modbusErrorCode: ILLEGAL_DATA_ADDRESS });
    const { register, word } = slot;
    const engineering = this.getValue(register.name);
    if (kind === 'coil' || kind === 'discrete') return engineering ? 1 : 0;
    const raw = (engineering - register.offset) / register.scale;
    return encodeValue(raw, register.data_type, register.byte_order)[word] ?? 0;
  }
}
