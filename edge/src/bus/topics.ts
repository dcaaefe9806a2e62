import { Type, type Static } from '@sinclair/typebox';
import type { Lane } from '../records/index.js';

/**
 * The topic layout of the local bus, version 1 (docs/topics.md). Everything Coupler publishes
 * or accepts lives under `coupler/v1/`; a breaking change gets `coupler/v2/`.
 */
export const TOPIC_ROOT = 'coupler/v1';

/** Cloud-bound topics: `coupler/v1/devices/{deviceId}/{kind}` and the lane each one feeds. */
export const CLOUD_BOUND_KINDS = { telemetry: 'bulk', alarm: 'alarm', billing: 'billing' } as const satisfies Record<string, Lane>;
export type CloudBoundKind = keyof typeof CLOUD_BOUND_KINDS;

export const ReadingPayloadSchema = Type.Object(
  {
    // Up to 2^53 - 1: beyond it a JSON number no longer names one millisecond (found by payload.test.ts).
    timestampMs: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'UTC milliseconds; the time of arrival when absent.' })),
    quality: Type.Optional(Type.Union([Type.Literal('good'), Type.Literal('uncertain'), Type.Literal('bad')], { description: 'good when absent.' })),
    values: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 64 }),
          value: Type.Number(),
          unit: Type.Optional(Type.String({ maxLength: 16 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 256 },
    ),
  },
  { additionalProperties: false },
);
export type ReadingPayload = Static<typeof ReadingPayloadSchema>;

const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function cloudBoundTopic(deviceId: string, kind: CloudBoundKind): string {
  return `${TOPIC_ROOT}/devices/${deviceId}/${kind}`;
}

export function topicForLane(lane: Lane): CloudBoundKind {
  switch (lane) {
    case 'bulk':
      return 'telemetry';
    case 'alarm':
      return 'alarm';
    case 'billing':
      return 'billing';
  }
}

/** How a cloud-bound payload is encoded: JSON, or CBOR on a topic that ends in `/cbor`. */
export type PayloadEncoding = 'json' | 'cbor';
export interface CloudBoundTarget {
  deviceId: string;
  kind: CloudBoundKind;
  encoding: PayloadEncoding;
}

/**
 * Parses a cloud-bound topic, `coupler/v1/devices/{deviceId}/{kind}` (JSON) or
 * `coupler/v1/devices/{deviceId}/{kind}/cbor` (CBOR); undefined for every other topic (those stay local).
 */
export function parseCloudBoundTopic(topic: string): CloudBoundTarget | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 && !(parts.length === 6 && parts[5] === 'cbor')) return undefined;
  if (`${parts[0] ?? ''}/${parts[1] ?? ''}` !== TOPIC_ROOT || parts[2] !== 'devices') return undefined;
  const [, , , deviceId = '', kind = ''] = parts;
  if (!DEVICE_ID.test(deviceId) || !Object.hasOwn(CLOUD_BOUND_KINDS, kind)) return undefined;
  return { deviceId, kind: kind as CloudBoundKind, encoding: parts.length === 6 ? 'cbor' : 'json' };
}

/**
 * parseCloudBoundTopic with the answers kept: a device publishes on the same few topics all its
 * life, and the split and tests cost about 0.5 µs a message. Bounded: a client that invents
 * topics only ever empties the cache. The targets are frozen, as they are shared.
 */
export class CloudBoundTopicCache {
  private readonly known = new Map<string, Readonly<CloudBoundTarget> | null>();

  constructor(private readonly maxEntries = 4096) {}

  parse(topic: string): Readonly<CloudBoundTarget> | undefined {
    let target = this.known.get(topic);
    if (target === undefined) {
      if (this.known.size >= this.maxEntries) this.known.clear();
      const parsed = parseCloudBoundTopic(topic);
      target = parsed ? Object.freeze(parsed) : null;
      this.known.set(topic, target);
    }
    return target ?? undefined;
  }
}

/** Where the bus tells a device why its message was quarantined; the device may subscribe to it. */
/** Commands to a device the gateway drives (an Arduino's outputs): published by local services, never cloud-bound. */
export const COMMAND_TOPIC_FILTER = `${TOPIC_ROOT}/devices/+/commands/+`;

export function parseCommandTopic(topic: string): { deviceId: string; command: string } | undefined {
  const [root, version, devices, deviceId, commands, command, ...rest] = topic.split('/');
  if (`${root}/${version}` !== TOPIC_ROOT || devices !== 'devices' || commands !== 'commands' || rest.length > 0) return undefined;
  if (!deviceId || !command) return undefined;
  return { deviceId, command };
}

/** Where the driver answers each command: `{ requestId?, command, status, message? }`. */
export function commandResultTopic(deviceId: string): string {
  return `${TOPIC_ROOT}/devices/${deviceId}/command-results`;
}

export function rejectedStatusTopic(deviceId: string): string {
  return `${TOPIC_ROOT}/devices/${deviceId}/status/rejected`;
}

export const RejectedStatusSchema = Type.Object(
  {
    code: Type.String({ description: 'Always CPL_ERR_BUS_PAYLOAD_INVALID.' }),
    topic: Type.String({ description: 'The topic the rejected message was published on.' }),
    reason: Type.String({ description: 'What is wrong with the payload.' }),
    receivedAtMs: Type.Integer({ description: 'When the gateway received it, UTC milliseconds.' }),
    payloadBytes: Type.Integer({ description: 'Size of the rejected payload.' }),
  },
  { additionalProperties: false },
);
export type RejectedStatus = Static<typeof RejectedStatusSchema>;
