import { Type, type Static } from '@sinclair/typebox';

export const ArduinoDevice = Type.Object(
  {
    id: Type.String({
      pattern: '^[!-~]{1,16}$',
      description: 'Device id: unique on this gateway, used in topics and records, and stored in the Arduino\'s EEPROM when it has none (at most 16 printable ASCII characters, no spaces). A device reporting another id on this port is refused.',
    }),
    path: Type.String({ minLength: 1, description: 'Serial port, by stable name where there is one: /dev/serial/by-id/usb-Arduino_... (reopened by this path after an unplug). Ports are never listed: SerialPort.list() needs udevadm.', requiresRestart: true }),
    baudRate: Type.Integer({ minimum: 300, maximum: 2_000_000, default: 115_200, description: 'Line speed in bit/s; the firmware runs at 115200.', requiresRestart: true }),
    intervalMs: Type.Integer({ minimum: 0, maximum: 65_535, default: 1000, description: 'Time between two readings, set on the device over the protocol (0: as fast as the link carries them).' }),
    analogInputs: Type.Array(Type.Integer({ minimum: 0, maximum: 5 }), { default: [0, 1, 2, 3, 4, 5], uniqueItems: true, description: 'Analog inputs sampled in each reading: 0 = A0 ... 5 = A5 (values a0..a5, raw 0-1023).' }),
    digitalInputs: Type.Array(Type.Integer({ minimum: 2, maximum: 13 }), { default: [], uniqueItems: true, description: 'Digital inputs sampled in each reading, with the pull-up on (a contact to ground reads 0): 2 = D2 ... 13 = D13 (values d2..d13). Such a pin cannot be driven by set-output.' }),
  },
  { additionalProperties: false },
);

export const ArduinoSection = Type.Object(
  {
    devices: Type.Array(ArduinoDevice, { default: [], description: 'Arduinos on USB serial speaking the Coupler serial protocol (firmware/PROTOCOL.md).' }),
    reopenMaxMs: Type.Integer({ minimum: 100, maximum: 60_000, default: 5000, description: 'Longest wait between attempts to reopen a port that failed or disappeared (the first is 250 ms, then growing).' }),
  },
  { additionalProperties: false, default: {} },
);

export type ArduinoDeviceConfig = Static<typeof ArduinoDevice>;
