import { Type, type Static } from '@sinclair/typebox';
import { apiSecurityProperties, busSecurityProperties, SecuritySection } from './security-schema.js';
import { syncSecurityProperties } from './sync-security-schema.js';
import { ArduinoSection } from './arduino-schema.js';
import { EnergySection } from './energy-schema.js';
import { ModbusSection, type ModbusDeviceConfig } from './modbus-schema.js';
import { NodeRedSection } from './nodered-schema.js';
import { OtaSection } from './ota-schema.js';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';

const Listener = (port: number, what: string) =>
  Type.Object(
    {
      host: Type.String({ default: '127.0.0.1', description: `Address the ${what} binds to.`, requiresRestart: true }),
      port: Type.Integer({ minimum: 0, maximum: 65535, default: port, description: `TCP port of the ${what}; 0 picks a free one.`, requiresRestart: true }),
    },
    { additionalProperties: false, default: {} },
  );

export const EdgeConfigSchema = Type.Object(
  {
    version: Type.Literal(1, { default: 1, description: 'Version of this configuration format.' }),
    gateway: Type.Object(
      {
        id: Type.String({ pattern: ID_PATTERN, description: 'Gateway id, unique in the fleet (on balena: the device UUID).', requiresRestart: true }),
      },
      { additionalProperties: false },
    ),
    dataDir: Type.String({ minLength: 1, default: './data/edge', description: 'Folder for the durable buffer and other state.', requiresRestart: true }),
    log: Type.Object(
      { level: Type.Union(LOG_LEVELS.map((l) => Type.Literal(l)), { default: 'info', description: 'Lowest level written to the log.' }) },
      { additionalProperties: false, default: {} },
    ),
    security: SecuritySection,
    bus: Type.Object({ ...Listener(1883, 'local MQTT broker').properties, ...busSecurityProperties }, { additionalProperties: false, default: {} }),
    api: Type.Object({ ...Listener(8081, 'local HTTP API').properties, ...apiSecurityProperties }, { additionalProperties: false, default: {} }),
    buffer: Type.Object(
      {
        quotaBytes: Type.Integer({ minimum: 1_048_576, default: 1_073_741_824, description: 'Bytes of records the buffer may hold; above it the oldest bulk records are dropped, never billing or alarm records (docs/decisions/0005).', requiresRestart: true }),
        commitIntervalMs: Type.Integer({ minimum: 0, maximum: 50, default: 5, description: 'Latency budget of commit coalescing: after a commit shared by several appends, the next starts no sooner than this many ms after it, so one fdatasync serves more records at a steady rate; a lone device waiting for each PUBACK is never delayed. 0 turns it off (docs/decisions/0018).', requiresRestart: true }),
      },
      { additionalProperties: false, default: {} },
    ),
    sync: Type.Object(
      {
        cloudUrl: Type.String({ minLength: 1, default: '127.0.0.1:50051', description: 'host:port of the cloud gRPC endpoint.' }),
        batchMaxRecords: Type.Integer({ minimum: 1, maximum: 5000, default: 500, description: 'Most records in one batch.' }),
        windowBatches: Type.Integer({ minimum: 1, maximum: 64, default: 8, description: 'Most batches sent and not yet acknowledged.' }),
        ackTimeoutMs: Type.Integer({ minimum: 1000, default: 30_000, description: 'A batch not acknowledged in this time ends the stream, which is then reopened.' }),
        keepaliveTimeMs: Type.Integer({ minimum: 10_000, default: 30_000, description: 'HTTP/2 keepalive ping interval; suited to mobile links.' }),
        backlogReportIntervalMs: Type.Integer({ minimum: 1000, default: 30_000, description: 'How often the buffer state is reported to the cloud.' }),
        initialBackoffMs: Type.Integer({ minimum: 10, default: 1000, description: 'First reconnect delay.' }),
        maxBackoffMs: Type.Integer({ minimum: 100, default: 60_000, description: 'Longest reconnect delay.' }),
        columnarBatches: Type.Boolean({ default: true, description: 'Send record batches in the compact columnar encoding when the cloud lists it in its welcome (about a quarter of the bytes for meter telemetry); false: always plain records (docs/decisions/0010).' }),
        ...syncSecurityProperties,
      },
      { additionalProperties: false, default: {} },
    ),
    modbus: ModbusSection,
    energy: EnergySection,
    arduino: ArduinoSection,
    nodeRed: NodeRedSection,
    ota: OtaSection,
  },
  { additionalProperties: false },
);

export type EdgeConfig = Static<typeof EdgeConfigSchema>;
export type ModbusTcpDeviceConfig = ModbusDeviceConfig;
