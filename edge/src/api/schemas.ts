import { Type } from '@sinclair/typebox';

/** Every error answer: a stable code and a message, never a stack (STYLE §5). */
export const ErrorAnswer = Type.Object({ code: Type.String(), message: Type.String() }, { $id: 'ErrorAnswer', description: 'An error: stable code (docs/errors.md) and a message.' });
export const errorRef = Type.Ref('ErrorAnswer');

/** The error answers every closed route can give, besides its own. */
export const closedRouteErrors = { 401: errorRef, 403: errorRef, 429: errorRef, 500: errorRef } as const;

export const Health = Type.Object({ status: Type.Literal('ok') });
export const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not ready')]),
  dependencies: Type.Array(Type.Object({ name: Type.String(), isUp: Type.Boolean(), isRequired: Type.Boolean(), detail: Type.Optional(Type.String()) })),
});

// Other capabilities own these shapes; the schema names the main fields and lets new ones through.
const Open = { additionalProperties: true } as const;
export const BufferState = Type.Object(
  {
    records: Type.Integer(),
    bytes: Type.Integer(),
    quotaBytes: Type.Integer(),
    firstSequence: Type.Integer(),
    oldestTimestampMs: Type.Optional(Type.Integer()),
  },
  { ...Open, description: 'Durable buffer state, per lane under `lanes`.' },
);
export const SyncState = Type.Object(
  { state: Type.String(), batchesInFlight: Type.Integer(), streamRestarts: Type.Integer(), lastAckAtMs: Type.Optional(Type.Integer()) },
  { ...Open, description: 'Cloud link state.' },
);
export const NodeRedState = Type.Object(
  {
    enabled: Type.Boolean(),
    state: Type.Optional(Type.String({ description: 'stopped, starting, running or restarting.' })),
    pid: Type.Optional(Type.Integer()),
    port: Type.Optional(Type.Integer()),
    restarts: Type.Optional(Type.Integer()),
    isSafeMode: Type.Optional(Type.Boolean({ description: 'Flows stopped after repeated crashes, until flows are deployed.' })),
    lastDeployment: Type.Optional(
      Type.Object(
        {
          result: Type.String({ description: 'deployed, refused (bad template), failed (Node-RED refused), rolled_back.' }),
          atMs: Type.Integer(),
          flows: Type.Array(Type.String()),
          rev: Type.Optional(Type.String()),
          error: Type.Optional(Type.String({ description: 'What was wrong, naming each problem.' })),
        },
        Open,
      ),
    ),
  },
  { ...Open, description: 'The Node-RED child process and the outcome of its last flows deployment.' },
);
export const DeviceStates = Type.Array(
  Type.Object({ deviceId: Type.Optional(Type.String()), status: Type.Optional(Type.String()), lastError: Type.Optional(Type.String()) }, Open),
  { description: 'Each device and its status (ok, degraded, offline).' },
);
export const QuarantineList = Type.Array(
  Type.Object({
    code: Type.String(),
    deviceId: Type.String(),
    topic: Type.String(),
    clientId: Type.String(),
    reason: Type.String(),
    receivedAtMs: Type.Integer(),
    payloadBase64: Type.String(),
  }),
  { description: 'Messages refused at ingestion, oldest first, with their reasons.' },
);
export const QuarantineClearBody = Type.Object(
  { deviceId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$', description: 'Only this device; all when absent.' })) },
  { additionalProperties: false },
);
export const QuarantineCleared = Type.Object({ cleared: Type.Integer({ minimum: 0 }) });
