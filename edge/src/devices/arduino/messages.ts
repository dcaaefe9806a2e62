/**
 * Messages of the Coupler serial protocol, version 1 (firmware/PROTOCOL.md §3): typed
 * decoding of what a device sends, encoding of what the gateway sends. Pure.
 */

export const PROTOCOL_VERSION = 1;
export const DEVICE_ID_MAX_LENGTH = 16;
export const ANALOG_CHANNELS = 6;
export const ALL_ANALOG_CHANNELS = 0x3f;

export const MessageType = {
  hello: 0x01,
  reading: 0x02,
  helloRequest: 0x03,
  ack: 0x04,
  setConfig: 0x05,
  result: 0x06,
  setOutput: 0x07,
} as const;

/** Digital outputs a command may drive: D2-D13 (D0 and D1 carry the serial line). */
export const OUTPUT_PINS = { first: 2, last: 13 } as const;
/** Digital inputs a reading may carry: bits 2-13, one per pin D2-D13. */
export const ALL_DIGITAL_INPUTS = 0x3ffc;

/** ACK flag: resend every reading after the acknowledged one (a frame was lost). */
export const ACK_FLAG_RESEND = 0x01;

/** RESULT status codes (PROTOCOL.md §3), named as they appear in command results on the bus. */
export const CommandStatus = { ok: 0, bad_length: 1, bad_value: 2, unknown_type: 3 } as const;
export type CommandStatusName = keyof typeof CommandStatus;

export interface Hello {
  type: 'hello';
  protocolVersion: number;
  firmwareVersion: string;
  capabilities: number;
  bootCount: number;
  uptimeMs: number;
  /** The oldest reading the device still holds; the next one it will (re)send. */
  oldestHeldSequence: number;
  nextSequence: number;
  intervalMs: number;
  channelMask: number;
  /** Digital inputs D2-D13 sampled with each reading (bit n = Dn). */
  digitalMask: number;
  badFramesReceived: number;
  readingsSkipped: number;
  /** Empty when the device was never provisioned. */
  deviceId: string;
}

export interface DeviceReading {
  type: 'reading';
  bootCount: number;
  sequence: number;
  /** How long before this frame was sent the reading was taken (a resent one is older). */
  ageMs: number;
  channelMask: number;
  /** Raw values by channel number (0 = A0); only channels in the mask. */
  values: { channel: number; value: number }[];
  /** Levels of the digital inputs in the reading's mask (1: open contact, pulled up). */
  digital: { pin: number; level: number }[];
}

export interface CommandResult {
  type: 'result';
  commandSequence: number;
  status: CommandStatusName | 'unknown';
}

export type DeviceMessage = Hello | DeviceReading | CommandResult;

export type DecodeResult = { ok: true; message: DeviceMessage } | { ok: false; reason: string };

const HELLO_FIXED_BYTES = 30;
const READING_FIXED_BYTES = 14;
const RESULT_BYTES = 4;

/** Decodes one frame body from a device; a body of the wrong shape gives the reason. */
export function decodeDeviceMessage(body: Uint8Array): DecodeResult {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const type = body[0] ?? 0;
  switch (type) {
    case MessageType.hello:
      return decodeHello(body, view);
    case MessageType.reading:
      return decodeReading(body, view);
    case MessageType.result: {
      if (body.length !== RESULT_BYTES) return wrongLength('RESULT', body.length, RESULT_BYTES);
      const code = body[3] ?? 0;
      const status = (Object.keys(CommandStatus) as CommandStatusName[]).find((name) => CommandStatus[name] === code);
      return { ok: true, message: { type: 'result', commandSequence: view.getUint16(1, true), status: status ?? 'unknown' } };
    }
    default:
      return { ok: false, reason: `unknown message type 0x${type.toString(16).padStart(2, '0')}` };
  }
}

function decodeHello(body: Uint8Array, view: DataView): DecodeResult {
  if (body.length < HELLO_FIXED_BYTES) return wrongLength('HELLO', body.length, HELLO_FIXED_BYTES);
  const idLength = body[29] ?? 0;
  if (idLength > DEVICE_ID_MAX_LENGTH || body.length !== HELLO_FIXED_BYTES + idLength) {
    return { ok: false, reason: `HELLO with an id of ${idLength} bytes is ${body.length} bytes long` };
  }
  return {
    ok: true,
    message: {
      type: 'hello',
      protocolVersion: body[1] ?? 0,
      firmwareVersion: `${body[2] ?? 0}.${body[3] ?? 0}.${body[4] ?? 0}`,
      capabilities: body[5] ?? 0,
      bootCount: view.getUint16(6, true),
      uptimeMs: view.getUint32(8, true),
      oldestHeldSequence: view.getUint32(12, true),
      nextSequence: view.getUint32(16, true),
      intervalMs: view.getUint16(20, true),
      channelMask: body[22] ?? 0,
      badFramesReceived: view.getUint16(23, true),
      readingsSkipped: view.getUint16(25, true),
      digitalMask: view.getUint16(27, true),
      deviceId: new TextDecoder().decode(body.subarray(HELLO_FIXED_BYTES)),
    },
  };
}

function decodeReading(body: Uint8Array, view: DataView): DecodeResult {
  if (body.length < READING_FIXED_BYTES) return wrongLength('READING', body.length, READING_FIXED_BYTES);
  const channelMask = body[11] ?? 0;
  const channels = [...Array(ANALOG_CHANNELS).keys()].filter((channel) => channelMask & (1 << channel));
  if (channelMask & ~ALL_ANALOG_CHANNELS) return { ok: false, reason: `READING with channel mask 0x${channelMask.toString(16)} names channels that do not exist` };
  const digitalMask = view.getUint16(12, true);
  if (digitalMask & ~ALL_DIGITAL_INPUTS) return { ok: false, reason: `READING with digital mask 0x${digitalMask.toString(16)} names pins that are not inputs` };
  const pins = [...Array(OUTPUT_PINS.last + 1).keys()].filter((pin) => digitalMask & (1 << pin));
  const levelsAt = READING_FIXED_BYTES + 2 * channels.length;
  const expected = levelsAt + (digitalMask === 0 ? 0 : 2);
  if (body.length !== expected) return wrongLength('READING', body.length, expected);
  const levels = digitalMask === 0 ? 0 : view.getUint16(levelsAt, true);
  return {
    ok: true,
    message: {
      type: 'reading',
      bootCount: view.getUint16(1, true),
      sequence: view.getUint32(3, true),
      ageMs: view.getUint32(7, true),
      channelMask,
      values: channels.map((channel, index) => ({ channel, value: view.getInt16(READING_FIXED_BYTES + 2 * index, true) })),
      digital: pins.map((pin) => ({ pin, level: (levels >> pin) & 1 })),
    },
  };
}

function wrongLength(name: string, got: number, expected: number): DecodeResult {
  return { ok: false, reason: `${name} must be ${expected} bytes (got ${got})` };
}

export function encodeHelloRequest(): Uint8Array {
  return Uint8Array.of(MessageType.helloRequest);
}

/** Acknowledges every reading of boot `bootCount` up to `sequence`; the device ignores other boots'. */
export function encodeAck(bootCount: number, sequence: number, isResendRequested = false): Uint8Array {
  const body = new Uint8Array(8);
  const view = new DataView(body.buffer);
  body[0] = MessageType.ack;
  view.setUint16(1, bootCount, true);
  view.setUint32(3, sequence, true);
  body[7] = isResendRequested ? ACK_FLAG_RESEND : 0;
  return body;
}

export interface DeviceSettings {
  intervalMs: number;
  channelMask: number;
  /** Digital inputs D2-D13 to sample (bit n = Dn). */
  digitalMask: number;
  /** Stored as the device's identity; empty keeps the one it has. */
  deviceId: string;
}

/** SET_CONFIG; throws a RangeError naming the field when a setting cannot be sent. */
export function encodeSetConfig(commandSequence: number, settings: DeviceSettings): Uint8Array {
  const id = new TextEncoder().encode(settings.deviceId);
  if (id.length > DEVICE_ID_MAX_LENGTH || !/^[\x21-\x7e]*$/.test(settings.deviceId)) {
    throw new RangeError(`deviceId must be at most ${DEVICE_ID_MAX_LENGTH} printable ASCII characters without spaces (got ${JSON.stringify(settings.deviceId)})`);
  }
  if (!Number.isInteger(settings.intervalMs) || settings.intervalMs < 0 || settings.intervalMs > 0xffff) {
    throw new RangeError(`intervalMs must be an integer from 0 to 65535 (got ${settings.intervalMs})`);
  }
  if (!Number.isInteger(settings.channelMask) || settings.channelMask < 0 || settings.channelMask > ALL_ANALOG_CHANNELS) {
    throw new RangeError(`channelMask must be an integer from 0 to 0x3f (got ${settings.channelMask})`);
  }
  if (!Number.isInteger(settings.digitalMask) || (settings.digitalMask & ~ALL_DIGITAL_INPUTS) !== 0) {
    throw new RangeError(`digitalMask may only name pins D2-D13 (got 0x${settings.digitalMask.toString(16)})`);
  }
  const body = new Uint8Array(9 + id.length);
  const view = new DataView(body.buffer);
  body[0] = MessageType.setConfig;
  view.setUint16(1, commandSequence & 0xffff, true);
  view.setUint16(3, settings.intervalMs, true);
  body[5] = settings.channelMask;
  view.setUint16(6, settings.digitalMask, true);
  body[8] = id.length;
  body.set(id, 9);
  return body;
}

/** SET_OUTPUT: drive digital pin D2-D13 low or high; throws a RangeError naming a bad pin. */
export function encodeSetOutput(commandSequence: number, pin: number, isHigh: boolean): Uint8Array {
  if (!Number.isInteger(pin) || pin < OUTPUT_PINS.first || pin > OUTPUT_PINS.last) {
    throw new RangeError(`pin must be a digital output from D${OUTPUT_PINS.first} to D${OUTPUT_PINS.last} (got ${pin})`);
  }
  const body = new Uint8Array(5);
  body[0] = MessageType.setOutput;
  new DataView(body.buffer).setUint16(1, commandSequence & 0xffff, true);
  body[3] = pin;
  body[4] = isHigh ? 1 : 0;
  return body;
}
