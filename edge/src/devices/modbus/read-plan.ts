import { WORDS_PER_TYPE, type RegisterKind } from './codec.js';
import type { ProfileRegister } from './profile.js';

export interface ReadRequest {
  kind: RegisterKind;
  address: number;
  /** Registers (or bits, for coils and discrete inputs) to read. */
  count: number;
  /** Each signal with its offset, in registers or bits, from `address`. */
  fields: { register: ProfileRegister; offset: number }[];
}

export function sizeOf(register: ProfileRegister): number {
  return register.register === 'coil' || register.register === 'discrete' ? 1 : WORDS_PER_TYPE[register.data_type];
}

/**
 * Merges registers of one kind that touch or overlap into one request, up to
 * `maxPerRead` registers, so a meter answers one request instead of one per value. Pure.
 */
export function planReads(registers: readonly ProfileRegister[], maxPerRead: number): ReadRequest[] {
  const sorted = [...registers].sort((a, b) => a.register.localeCompare(b.register) || a.address - b.address);
  const requests: ReadRequest[] = [];
  let current: ReadRequest | undefined;
  for (const register of sorted) {
    const end = register.address + sizeOf(register);
    const fits =
      current !== undefined &&
      current.kind === register.register &&
      register.address <= current.address + current.count &&
      Math.max(current.address + current.count, end) - current.address <= maxPerRead;
    if (current && fits) {
      current.count = Math.max(current.count, end - current.address);
      current.fields.push({ register, offset: register.address - current.address });
      continue;
    }
    current = { kind: register.register, address: register.address, count: sizeOf(register), fields: [{ register, offset: 0 }] };
    requests.push(current);
  }
  return requests;
}
