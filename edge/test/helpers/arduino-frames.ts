import { encodeFrame, FrameDecoder, MessageType } from '../../src/devices/arduino/index.js';

// The device side of the line, written from firmware/PROTOCOL.md §3 for tests of the gateway's
// session; the firmware itself is tested on simavr.

export function helloFrame(bootCount: number, oldestHeld: number, options: { deviceId?: string; protocolVersion?: number; nextSequence?: number } = {}): Uint8Array {
  const id = new TextEncoder().encode(options.deviceId ?? 'doors');
  const body = new Uint8Array(30 + id.length);
  const view = new DataView(body.buffer);
  body[0] = MessageType.hello;
  body[1] = options.protocolVersion ?? 1;
  body.set([0, 1, 0], 2);
  view.setUint16(6, bootCount, true);
  view.setUint32(8, 5000, true);
  view.setUint32(12, oldestHeld, true);
  view.setUint32(16, options.nextSequence ?? oldestHeld, true);
  view.setUint16(20, 1000, true);
  body[22] = 0x01;
  body[29] = id.length;
  body.set(id, 30);
  return encodeFrame(body);
}

export function readingFrame(bootCount: number, sequence: number, a0 = 512): Uint8Array {
  const body = new Uint8Array(16);
  const view = new DataView(body.buffer);
  body[0] = MessageType.reading;
  view.setUint16(1, bootCount, true);
  view.setUint32(3, sequence, true);
  view.setUint32(7, 20, true); // age: taken 20 ms before it was sent
  body[11] = 0x01; // A0 only, no digital inputs (mask at 12-13 stays 0)
  view.setInt16(14, a0, true);
  return encodeFrame(body);
}

export type GatewayMessage = { kind: 'hello?' } | { kind: 'ack'; bootCount: number; sequence: number; isResend: boolean } | { kind: 'other'; type: number };

/** Decodes what the gateway wrote to the line. */
export function gatewayMessages(decoder: FrameDecoder, bytes: Uint8Array): GatewayMessage[] {
  return decoder.push(bytes).flatMap((event): GatewayMessage[] => {
    if (event.kind !== 'frame') return [];
    const view = new DataView(event.body.buffer, event.body.byteOffset);
    if (event.body[0] === MessageType.helloRequest) return [{ kind: 'hello?' }];
    if (event.body[0] === MessageType.ack) return [{ kind: 'ack', bootCount: view.getUint16(1, true), sequence: view.getUint32(3, true), isResend: event.body[7] === 1 }];
    return [{ kind: 'other', type: event.body[0] ?? 0 }];
  });
}

/** `ack boot:seq[!]` (! = resend) or `hello?`, for readable assertions. */
export function describeGatewayMessages(bytes: Uint8Array[]): string[] {
  const decoder = new FrameDecoder();
  return bytes.flatMap((chunk) => gatewayMessages(decoder, chunk)).map((message) => {
    if (message.kind === 'hello?') return 'hello?';
    if (message.kind === 'ack') return `ack ${message.bootCount}:${message.sequence}${message.isResend ? '!' : ''}`;
    return `type ${message.type}`;
  });
}
