import type { IncomingMessage } from 'node:http';
import { ApiError } from '../app.js';

// The codes fastify gave these refusals (docs/errors.md), kept so that callers see no change.
const INVALID_MEDIA_TYPE = 'FST_ERR_CTP_INVALID_MEDIA_TYPE';
const BODY_TOO_LARGE = 'FST_ERR_CTP_BODY_TOO_LARGE';
const EMPTY_JSON_BODY = 'FST_ERR_CTP_EMPTY_JSON_BODY';
const INVALID_JSON_BODY = 'FST_ERR_CTP_INVALID_JSON_BODY';

function hasBody(request: IncomingMessage): boolean {
  return request.headers['transfer-encoding'] !== undefined || (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');
}

/**
 * The request's JSON body (undefined when it has none), at most `limitBytes`. Anything but
 * `application/json` is refused with 415, a larger body with 413, bad JSON with 400.
 */
export async function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  const contentType = request.headers['content-type'];
  if (!hasBody(request) && contentType === undefined) return undefined;
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') throw new ApiError(415, INVALID_MEDIA_TYPE, `Unsupported Media Type: ${contentType ?? 'none'}`);
  if (Number(request.headers['content-length'] ?? 0) > limitBytes) throw new ApiError(413, BODY_TOO_LARGE, 'Request body is too large');
  const chunks: Buffer[] = [];
  let bytes = 0;
  // Not destroyed on a refusal: the socket stays up for the 413 answer.
  for await (const chunk of request.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > limitBytes) throw new ApiError(413, BODY_TOO_LARGE, 'Request body is too large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new ApiError(400, EMPTY_JSON_BODY, "Body cannot be empty when content-type is set to 'application/json'");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, INVALID_JSON_BODY, "Body is not valid JSON but content-type is set to 'application/json'");
  }
}
