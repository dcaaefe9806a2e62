import { Type } from '@sinclair/typebox';
import type { ApiApp } from '../app.js';
import type { ApiSources } from '../ports.js';
import { BufferState, closedRouteErrors, DeviceStates, NodeRedState, QuarantineClearBody, QuarantineCleared, QuarantineList, SyncState } from '../schemas.js';

/** Read routes (any key) and the one admin action; each only calls what the root passed in. */
export function stateRoutes(app: ApiApp, sources: ApiSources): void {
  const read = { access: 'read' } as const;
  app.get('/metrics', { config: read, schema: { summary: 'Prometheus metrics (text exposition format).', response: { 200: Type.String(), ...closedRouteErrors } } }, async (_request, reply) => {
    const { contentType, body } = await sources.metrics();
    return reply.type(contentType).send(body);
  });
  app.get('/api/v1/buffer', { config: read, schema: { summary: 'Durable buffer state.', response: { 200: BufferState, ...closedRouteErrors } } }, () => sources.buffer());
  app.get('/api/v1/sync', { config: read, schema: { summary: 'Cloud link state.', response: { 200: SyncState, ...closedRouteErrors } } }, () => sources.sync());
  app.get('/api/v1/devices', { config: read, schema: { summary: 'Device inventory and status.', response: { 200: DeviceStates, ...closedRouteErrors } } }, () => sources.devices());
  app.get('/api/v1/nodered', { config: read, schema: { summary: 'Node-RED child process and its last flows deployment.', response: { 200: NodeRedState, ...closedRouteErrors } } }, () => sources.nodeRed());
  app.get('/api/v1/quarantine', { config: read, schema: { summary: 'Messages refused at ingestion, with reasons.', response: { 200: QuarantineList, ...closedRouteErrors } } }, () => sources.quarantine());
  app.post(
    '/api/v1/quarantine/clear',
    { config: { access: 'admin' }, schema: { summary: 'Forget quarantined messages (admin).', body: QuarantineClearBody, response: { 200: QuarantineCleared, 400: Type.Ref('ErrorAnswer'), 413: Type.Ref('ErrorAnswer'), 415: Type.Ref('ErrorAnswer'), ...closedRouteErrors } } },
    (request) => ({ cleared: sources.clearQuarantine((request.body as { deviceId?: string }).deviceId) }),
  );
}
