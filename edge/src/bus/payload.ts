import { createSchemaValidator, problemsFromAjv, formatProblem } from '@coupler/kit';
import type { Reading } from '../records/index.js';
import { CLOUD_BOUND_KINDS, ReadingPayloadSchema, type CloudBoundKind, type ReadingPayload } from './topics.js';

const validatePayload = createSchemaValidator().compile<ReadingPayload>(ReadingPayloadSchema);

export type DecodeResult = { ok: true; reading: Reading } | { ok: false; reason: string };

/** Turns a device's JSON payload into a reading, or names what is wrong with it. Pure. */
export function decodeReadingPayload(
  payload: Buffer,
  target: { deviceId: string; kind: CloudBoundKind },
  nowMs: number,
): DecodeResult {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, reason: 'payload is not valid JSON' };
  }
  if (!validatePayload(body)) {
    const problems = problemsFromAjv(validatePayload.errors ?? [], body);
    return { ok: false, reason: problems.map(formatProblem).join('; ') };
  }
  return {
    ok: true,
    reading: {
      deviceId: target.deviceId,
      timestampMs: body.timestampMs ?? nowMs,
      quality: body.quality ?? 'good',
      lane: CLOUD_BOUND_KINDS[target.kind],
      values: body.values.map((v) => ({ name: v.name, value: v.value, unit: v.unit ?? '' })),
    },
  };
}

export function encodeReadingPayload(reading: Reading): Buffer {
  const payload: ReadingPayload = { timestampMs: reading.timestampMs, quality: reading.quality, values: reading.values };
  return Buffer.from(JSON.stringify(payload));
}
