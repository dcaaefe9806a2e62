import { Type, type Static } from '@sinclair/typebox';

const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';

export const ModbusDevice = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN, description: 'Device id: unique on this gateway, used in topics and records.' }),
    profile: Type.String({ minLength: 1, description: 'Profile name (looked up in modbus.profileDirs, then among the built-ins: eastron-sdm630, eastron-sdm120, peacefair-pzem-017) or the path of a profile file.' }),
    transport: Type.Union([Type.Literal('tcp'), Type.Literal('rtu')], { default: 'tcp', description: 'tcp: Modbus TCP to host:port. rtu: Modbus RTU on the serial bus named by `bus`.' }),
    host: Type.Optional(Type.String({ minLength: 1, description: 'Host of the Modbus TCP device or gateway (transport tcp).' })),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 502, description: 'Modbus TCP port (transport tcp).' }),
    bus: Type.Optional(Type.String({ pattern: ID_PATTERN, description: 'Id of the entry in modbus.buses the device is wired to (transport rtu).' })),
    unitId: Type.Integer({ minimum: 0, maximum: 247, default: 1, description: 'Modbus unit id (slave address).' }),
    pollIntervalMs: Type.Integer({ minimum: 50, maximum: 86_400_000, default: 1000, description: 'Time between the starts of two polls.' }),
    timeoutMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000, description: 'How long to wait for one response.' }),
    retries: Type.Integer({ minimum: 0, maximum: 5, default: 1, description: 'Extra attempts of a failed request while the device is ok; a degraded or offline device gets one attempt per poll, so a dead meter costs its bus little time.' }),
  },
  { additionalProperties: false },
);

export const ModbusRtuBus = Type.Object(
  {
    id: Type.String({ pattern: ID_PATTERN, description: 'Bus id, referred to by devices[].bus.' }),
    path: Type.String({ minLength: 1, description: 'Serial port, by stable name where there is one: /dev/serial/by-id/usb-FTDI_... (reopened by this path after the adapter is unplugged and plugged in again).', requiresRestart: true }),
    baudRate: Type.Integer({ minimum: 300, maximum: 921_600, default: 9600, description: 'Line speed in bit/s; sets the 3.5-character silent interval between frames (1.75 ms above 19200).', requiresRestart: true }),
    dataBits: Type.Union([Type.Literal(7), Type.Literal(8)], { default: 8, description: 'Data bits per character (RTU uses 8).', requiresRestart: true }),
    parity: Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')], { default: 'none', description: 'Parity bit.', requiresRestart: true }),
    stopBits: Type.Union([Type.Literal(1), Type.Literal(2)], { default: 1, description: 'Stop bits.', requiresRestart: true }),
    turnaroundDelayMs: Type.Number({ minimum: 0, maximum: 1000, default: 0, description: 'Extra silence after each answer, for slow RS-485 adapters or meters, on top of the 3.5-character interval.' }),
    reopenIntervalMs: Type.Integer({ minimum: 100, maximum: 60_000, default: 1000, description: 'Time between attempts to reopen the port after it disappeared.' }),
  },
  { additionalProperties: false },
);

export const ModbusSection = Type.Object(
  {
    profileDirs: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'Folders with user device profiles (<name>.yaml, .yml or .json), searched before the built-ins; see docs/modbus-profiles.md. A change restarts the Modbus polling.' }),
    buses: Type.Array(ModbusRtuBus, { default: [], description: 'Modbus RTU buses: one serial port each, shared by the devices that name it.' }),
    devices: Type.Array(ModbusDevice, { default: [], description: 'Modbus devices to poll, over TCP or on an RTU bus. A change restarts the Modbus polling (not the buses).' }),
  },
  { additionalProperties: false, default: {} },
);

export type ModbusDeviceConfig = Static<typeof ModbusDevice>;
export type ModbusRtuBusConfig = Static<typeof ModbusRtuBus>;
