import { Type } from '@sinclair/typebox';
import { ApiError, type Route } from '../app.js';
import type { ApiSources } from '../ports.js';
import { BufferState, closedRouteErrors, DeviceStates, errorRef, NodeRedState, QuarantineClearBody, QuarantineCleared, QuarantineList, SyncState } from '../schemas.js';

// fastify's code for a body that breaks its schema (docs/errors.md), kept so that callers see no change.
const VALIDATION = 'FST_ERR_VALIDATION';
const DEVICE_ID = new RegExp(QuarantineClearBody.properties.deviceId.pattern ?? '');

/** QuarantineClearBody, checked by hand: an object with at most a `deviceId` of the pattern. */
function quarantineClearBody(body: unknown): { deviceId?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, VALIDATION, 'body must be object');
  const extra = Object.keys(body).find((key) => key !== 'deviceId');
  if (extra !== undefined) throw new ApiError(400, VALIDATION, `body must NOT have additional properties (got "${extra}")`);
  const { deviceId } = body as { deviceId?: unknown };
  if (deviceId === undefined) return {};
  if (typeof deviceId !== 'string') throw new ApiError(400, VALIDATION, 'body/deviceId must be string');
  if (!DEVICE_ID.test(deviceId)) throw new ApiError(400, VALIDATION, `body/deviceId must match pattern "${DEVICE_ID.source}"`);
  return { deviceId };
}

function read(path: string, summary: string, response: Route['responses'][number], state: () => unknown): Route {
  return { method: 'GET', path, access: 'read', summary, responses: { 200: response, ...closedRouteErrors }, handle: () => ({ json: state() }) };
}

/** Read routes (any key) and the one admin action; each only calls what the root passed in. */
export function stateRoutes(sources: ApiSources): Route[] {
  return [
    {
      method: 'GET',
      path: '/metrics',
      access: 'read',
      summary: 'Prometheus metrics (text exposition format).',
      responses: { 200: Type.String(), ...closedRouteErrors },
      handle: async () => {
        const { contentType, body } = await sources.metrics();
        return { contentType, text: body };
      },
    },
    read('/api/v1/buffer', 'Durable buffer state.', BufferState, () => sources.buffer()),
    read('/api/v1/sync', 'Cloud link state.', SyncState, () => sources.sync()),
    read('/api/v1/devices', 'Device inventory and status.', DeviceStates, () => sources.devices()),
    read('/api/v1/nodered', 'Node-RED child process and its last flows deployment.', NodeRedState, () => sources.nodeRed()),
    read('/api/v1/quarantine', 'Messages refused at ingestion, with reasons.', QuarantineList, () => sources.quarantine()),
    {
      method: 'POST',
      path: '/api/v1/quarantine/clear',
      access: 'admin',
      summary: 'Forget quarantined messages (admin).',
      body: QuarantineClearBody,
      responses: { 200: QuarantineCleared, 400: errorRef, 413: errorRef, 415: errorRef, ...closedRouteErrors },
      handle: ({ body }) => ({ json: { cleared: sources.clearQuarantine(quarantineClearBody(body).deviceId) } }),
    },
  ];
}
