import {
  encodeValue,
  resolveProfile,
  sizeOf,
  type DeviceProfile,
  type ProfileRegister,
  type RegisterKind,
} from '../src/devices/modbus/index.js';
import { MeterModel } from './meter-model.js';

// Modbus Application Protocol V1.1b3 §7: exception code 02, ILLEGAL DATA ADDRESS.
export const ILLEGAL_DATA_ADDRESS = 0x02;

export interface RegisterBankOptions {
  /** Built-in profile name or profile file; default `eastron-sdm630`. */
  profile?: string | undefined;
  /** Seeds the load curve, so two meters differ; default 1. */
  seed?: number | undefined;
  /** Wall clock; default Date.now. */
  now?: (() => number) | undefined;
}

/**
 * The registers of one simulated meter, laid out by a device profile: values from MeterModel
 * (plausible, moving on each tick, energy counters that only grow) unless pinned with
 * setValue. Shared by the TCP and RTU simulators; never imported by src/.
 */
export class RegisterBank {
  private readonly profile: DeviceProfile;
  private readonly model: MeterModel;
  private snapshot = new Map<string, number>();
  private readonly pinned = new Map<string, number>();
  /** `kind:address` -> the register covering it and the word index within it. */
  private readonly layout = new Map<string, { register: ProfileRegister; word: number }>();
  private readonly now: () => number;

  constructor(options: RegisterBankOptions = {}) {
    this.profile = resolveProfile(options.profile ?? 'eastron-sdm630');
    for (const register of this.profile.registers) {
      for (let word = 0; word < sizeOf(register); word++)
        this.layout.set(`${register.register}:${register.address + word}`, { register, word });
    }
    this.now = options.now ?? Date.now;
    this.model = new MeterModel(this.now(), options.seed ?? 1);
    this.tick();
  }

  /** Moves the unpinned values to the model's state at the current time. */
  tick(): void {
    this.snapshot = this.model.valuesAt(this.now());
  }

  /** Pins a signal to a value in engineering units (before the profile's scale and offset); it stops drifting. */
  setValue(name: string, value: number): void {
    const register = this.registerNamed(name);
    // Refuse now a value the register cannot carry, rather than answer exception 4 later.
    encodeValue(this.rawOf(register, value), register.data_type, register.byte_order);
    this.pinned.set(name, value);
  }

  /** The value a read returns now, in engineering units. */
  getValue(name: string): number {
    this.registerNamed(name);
    return this.pinned.get(name) ?? this.snapshot.get(name) ?? 0;
  }

  /** One register (or bit) as the wire carries it; throws with `modbusErrorCode` 2 where nothing is mapped. */
  word(kind: RegisterKind, address: number): number {
    const slot = this.layout.get(`${kind}:${address}`);
    if (!slot)
      throw Object.assign(new Error(`no register at ${kind} ${address}`), {
        modbusErrorCode: ILLEGAL_DATA_ADDRESS,
      });
    const { register, word } = slot;
    const engineering = this.getValue(register.name);
    if (kind === 'coil' || kind === 'discrete') return engineering !== 0 ? 1 : 0;
    return (
      encodeValue(this.rawOf(register, engineering), register.data_type, register.byte_order)[
        word
      ] ?? 0
    );
  }

  private registerNamed(name: string): ProfileRegister {
    const register = this.profile.registers.find((r) => r.name === name);
    if (!register) throw new Error(`profile ${this.profile.name} has no register ${name}`);
    return register;
  }

  private rawOf(register: ProfileRegister, engineering: number): number {
    return (engineering - register.offset) / register.scale;
  }
}
