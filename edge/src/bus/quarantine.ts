import type { PublishPacket } from 'aedes';
import type { EdgeErrorCode } from '../errors.js';
import { rejectedStatusTopic, type RejectedStatus } from './topics.js';

export interface QuarantinedMessage {
  code: typeof EdgeErrorCode.busPayloadInvalid;
  deviceId: string;
  topic: string;
  clientId: string;
  reason: string;
  receivedAtMs: number;
  payloadBase64: string;
}

/** The last `limit` rejected messages, in memory, with their reasons; oldest forgotten first. */
export class Quarantine {
  private readonly messages: QuarantinedMessage[] = [];

  constructor(private readonly limit: number) {}

  add(message: QuarantinedMessage): QuarantinedMessage {
    this.messages.push(message);
    if (this.messages.length > this.limit) this.messages.splice(0, this.messages.length - this.limit);
    return message;
  }

  list(): readonly QuarantinedMessage[] {
    return this.messages;
  }

  clear(deviceId?: string): number {
    const before = this.messages.length;
    const kept = deviceId === undefined ? [] : this.messages.filter((m) => m.deviceId !== deviceId);
    this.messages.splice(0, this.messages.length, ...kept);
    return before - kept.length;
  }

  /** The QoS 1 message on `coupler/v1/devices/{id}/status/rejected` that tells the sender why. */
  statusPacket(message: QuarantinedMessage, payloadBytes: number): Omit<PublishPacket, 'messageId'> {
    const status: RejectedStatus = { code: message.code, topic: message.topic, reason: message.reason, receivedAtMs: message.receivedAtMs, payloadBytes };
    return { cmd: 'publish', topic: rejectedStatusTopic(message.deviceId), payload: Buffer.from(JSON.stringify(status)), qos: 1, retain: false, dup: false };
  }
}
