import type { FastifyReply, FastifyRequest } from 'fastify';
import { page, type Html } from './html.js';
import { devicesBody, energyBody, fleetBody, rolloutsBody, signalBody } from './pages.js';
import type { DashboardApp, DashboardRollouts, DashboardSources, SessionGuard } from './ports.js';
import { readNewestRecords } from './records-window.js';
import { deviceSummaries } from './series.js';
import type { Session } from './sessions.js';

export interface PageDeps {
  sources: DashboardSources;
  /** Absent until the cloud runs a rollout controller: the page says so. */
  rollouts?: DashboardRollouts | undefined;
  now: () => number;
  requireSession: SessionGuard;
  session: (request: object) => Session;
  /** Records read per gateway for device status and the plot choices. */
  maxRecordsRead: number;
}

const choiceQuery = {
  querystring: {
    type: 'object',
    properties: {
      gatewayId: { type: 'string', maxLength: 128 },
      deviceId: { type: 'string', maxLength: 128 },
      signal: { type: 'string', maxLength: 128 },
      hours: { type: 'integer', minimum: 1, maximum: 168, default: 24 },
      // The end of the plotted range, UTC to the minute (a datetime-local field); absent: now.
      until: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$' },
    },
  },
} as const;

interface ChoiceQuery {
  gatewayId?: string;
  deviceId?: string;
  signal?: string;
  hours: number;
  until?: string;
}

export function registerPageRoutes(app: DashboardApp, deps: PageDeps): void {
  const guarded = { onRequest: deps.requireSession };
  const sendPage = (request: FastifyRequest, reply: FastifyReply, title: string, body: Html) =>
    reply.type('text/html; charset=utf-8').send(page({ title, body, user: deps.session(request) }));

  const choice = async (query: ChoiceQuery) => {
    const gateways = await deps.sources.gateways();
    const gatewayId = query.gatewayId ?? gateways[0]?.gatewayId ?? '';
    const window =
      gatewayId === ''
        ? { records: [] }
        : await readNewestRecords(deps.sources, gatewayId, deps.maxRecordsRead);
    const devices = deviceSummaries(window.records);
    return { gateways, gatewayId, devices, hours: query.hours, until: query.until ?? '' };
  };

  app.get('/', (_request, reply) => reply.redirect('/dashboard', 302));

  app.get('/dashboard', guarded, async (request, reply) => {
    const body = fleetBody(await deps.sources.gateways(), deps.now());
    return sendPage(request, reply, 'Fleet', body);
  });

  app.get<{ Params: { gatewayId: string } }>(
    '/dashboard/gateways/:gatewayId',
    guarded,
    async (request, reply) => {
      const { gatewayId } = request.params;
      const window = await readNewestRecords(deps.sources, gatewayId, deps.maxRecordsRead);
      const body = devicesBody(gatewayId, deviceSummaries(window.records), {
        nowMs: deps.now(),
        isTruncated: window.isTruncated,
      });
      return sendPage(request, reply, `Devices of ${gatewayId}`, body);
    },
  );

  app.get('/dashboard/rollouts', guarded, async (request, reply) =>
    sendPage(request, reply, 'Rollouts', rolloutsBody(await deps.rollouts?.())),
  );

  app.get<{ Querystring: ChoiceQuery }>(
    '/dashboard/energy',
    { ...guarded, schema: choiceQuery },
    async (request, reply) => {
      const chosen = await choice(request.query);
      const deviceId =
        request.query.deviceId ?? chosen.devices.find((d) => d.hasBilling)?.deviceId ?? '';
      const body = energyBody({ ...chosen, deviceId });
      return sendPage(request, reply, 'Energy per period', body);
    },
  );

  app.get<{ Querystring: ChoiceQuery }>(
    '/dashboard/signals',
    { ...guarded, schema: choiceQuery },
    async (request, reply) => {
      const chosen = await choice(request.query);
      const device =
        chosen.devices.find((d) => d.deviceId === request.query.deviceId) ??
        chosen.devices.find((d) => d.signals.length > 0);
      const signal = request.query.signal ?? device?.signals[0] ?? '';
      const body = signalBody({ ...chosen, deviceId: device?.deviceId ?? '', signal });
      return sendPage(request, reply, 'Signal over time', body);
    },
  );
}
