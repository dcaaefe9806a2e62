import type { RegisterKind } from './codec.js';
import { answerDataBytes, EXCEPTION_BIT, FUNCTION_CODES, readAnswerData } from './pdu.js';

// Modbus Messaging on TCP/IP Implementation Guide V1.0b §3.1.3: the MBAP header is transaction
// id (2 bytes), protocol id (2, 0 for Modbus), length (2, the bytes that follow it: unit id and
// PDU) and unit id (1).
export const MBAP_BYTES = 7;
/** MBAP header + function code + address + count. */
export const READ_REQUEST_BYTES = 12;
/** Bytes of the MBAP header that the length field does not count. */
const LENGTH_EXCLUDES = 6;
/** Unit id + the largest PDU (Application Protocol V1.1b3 §4.1: 253 bytes). */
const MAX_LENGTH = 254;

export interface TcpReadRequest {
  transactionId: number;
  unitId: number;
  kind: RegisterKind;
  address: number;
  count: number;
}

/** Writes the read request ADU into the first READ_REQUEST_BYTES of `frame`. */
export function writeReadRequest(frame: Buffer, request: TcpReadRequest): void {
  frame.writeUInt16BE(request.transactionId, 0);
  frame.writeUInt16BE(0, 2);
  frame.writeUInt16BE(READ_REQUEST_BYTES - LENGTH_EXCLUDES, 4);
  frame[6] = request.unitId;
  frame[7] = FUNCTION_CODES[request.kind];
  frame.writeUInt16BE(request.address, 8);
  frame.writeUInt16BE(request.count, 10);
}

export type TcpAnswer =
  /** Not enough bytes yet for the frame that has begun. */
  | { result: 'incomplete' }
  | { result: 'ok'; values: number[]; bytes: number }
  | { result: 'exception'; exceptionCode: number; bytes: number }
  /** A whole frame of another transaction (a late answer): drop `bytes` and look again. */
  | { result: 'stale'; bytes: number }
  /** Not an answer to this request: the stream cannot be trusted any more. */
  | { result: 'garbled'; reason: string };

/**
 * Looks for the answer to `request` at the start of `received`. Pure: the caller feeds the
 * bytes it has and drops `bytes` after a complete frame.
 */
export function parseTcpAnswer(received: Buffer, request: TcpReadRequest): TcpAnswer {
  if (received.length < MBAP_BYTES) return INCOMPLETE;
  const protocolId = received.readUInt16BE(2);
  if (protocolId !== 0) return garbled(`protocol id ${protocolId}, not 0 (Modbus)`);
  const length = received.readUInt16BE(4);
  if (length < 3 || length > MAX_LENGTH) return garbled(`MBAP length ${length}`);
  const bytes = LENGTH_EXCLUDES + length;
  if (received.length < bytes) return INCOMPLETE;
  if (received.readUInt16BE(0) !== request.transactionId) return { result: 'stale', bytes };
  const unitId = received[6];
  if (unitId !== request.unitId)
    return garbled(`unit id ${String(unitId)} in the answer to unit ${request.unitId}`);
  const functionCode = FUNCTION_CODES[request.kind];
  const fn = received[7] ?? 0;
  if (fn === (functionCode | EXCEPTION_BIT)) {
    if (length !== 3) return garbled(`exception answer of ${length - 1} PDU bytes, not 2`);
    return { result: 'exception', exceptionCode: received[8] ?? 0, bytes };
  }
  if (fn !== functionCode)
    return garbled(`function ${fn} in the answer to function ${functionCode}`);
  const dataBytes = answerDataBytes(request.kind, request.count);
  const byteCount = received[8];
  if (byteCount !== dataBytes || length !== 3 + dataBytes)
    return garbled(
      `${String(byteCount)} data bytes (MBAP length ${length}) in the answer to ${request.count} ${request.kind} values, not ${dataBytes}`,
    );
  return {
    result: 'ok',
    values: readAnswerData(received, MBAP_BYTES + 2, request.kind, request.count),
    bytes,
  };
}

const INCOMPLETE: TcpAnswer = { result: 'incomplete' };

function garbled(reason: string): TcpAnswer {
  return { result: 'garbled', reason };
}
