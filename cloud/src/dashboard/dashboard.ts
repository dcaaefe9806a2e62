import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { loadAssets } from './assets.js';
import { registerAuthRoutes, sessionOf, type DashboardUser } from './auth-routes.js';
import { registerDataRoutes } from './data-routes.js';
import { createLoginLimiter } from './login-limiter.js';
import { createDashboardMetrics } from './metrics.js';
import { registerPageRoutes } from './page-routes.js';
import type { DashboardApp, DashboardRollouts, DashboardSources } from './ports.js';
import { createSessionStore, type Session } from './sessions.js';
import { CloudErrorCode } from '../errors.js';

export interface DashboardOptions {
  users: readonly DashboardUser[];
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  secureCookie: boolean;
  maxFailedLogins: number;
  failedLoginWindowSeconds: number;
}

export interface DashboardDeps {
  sources: DashboardSources;
  /** The rollouts to list; absent while the cloud runs no rollout controller. */
  rollouts?: DashboardRollouts;
  metrics: Registry;
  now?: () => number;
}

const MAX_SESSIONS = 10_000;
const MAX_LIMITER_KEYS = 10_000;
/** Records read per gateway for one plot: the bound on work per request (0110). */
const MAX_RECORDS_READ = 50_000;
/** Device status and the plot choices need only the newest records: pages stay quick. */
const MAX_RECORDS_PAGE = 10_000;

// Everything is served from here: no inline script or style, no other origin.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Not no-referrer: with it, Chromium posts forms with `Origin: null`, which the login refuses.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
} as const;

function isDashboardUrl(url: string): boolean {
  return (
    url === '/' ||
    url.startsWith('/dashboard') ||
    url.startsWith('/login') ||
    url.startsWith('/logout')
  );
}

/**
 * The routes of the dashboard (login, pages, plot data, assets) on the cloud's fastify. Returns
 * a function that builds it, so each start gets fresh routes while sessions and counters live on.
 */
export function createDashboard(
  options: DashboardOptions,
  deps: DashboardDeps,
): (app: DashboardApp) => void {
  const now = deps.now ?? Date.now;
  const sessions = createSessionStore(
    {
      idleMs: options.sessionIdleMinutes * 60_000,
      maxAgeMs: options.sessionMaxHours * 3_600_000,
      maxSessions: MAX_SESSIONS,
    },
    now,
  );
  const limiter = createLoginLimiter(
    {
      maxFailures: options.maxFailedLogins,
      windowMs: options.failedLoginWindowSeconds * 1000,
      maxKeys: MAX_LIMITER_KEYS,
    },
    now,
  );
  const metrics = createDashboardMetrics(deps.metrics);
  const assets = loadAssets();
  const bySession = new WeakMap<object, Session>();

  const requireSession = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const session = sessionOf(request, sessions);
    if (session) {
      bySession.set(request, session);
      return;
    }
    if (request.url.startsWith('/dashboard/api/')) {
      await reply.code(401).send({
        code: CloudErrorCode.dashboardLoginRequired,
        message: 'log in first: no live session cookie',
      });
      return;
    }
    await reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 302);
  };
  const session = (request: object): Session => {
    const found = bySession.get(request);
    // requireSession ran first on every route that asks.
    if (!found) throw new Error('dashboard route without requireSession');
    return found;
  };

  return (app) => {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    app.addHook('onSend', async (request, reply) => {
      if (isDashboardUrl(request.url)) void reply.headers(SECURITY_HEADERS);
    });
    // Browsers ask for it on every page; there is none, and a 404 would only fill their consoles.
    app.get('/favicon.ico', (_request, reply) => reply.code(204).send());
    app.get<{ Params: { name: string } }>('/dashboard/assets/:name', (request, reply) => {
      const asset = assets.get(request.params.name);
      if (!asset)
        return reply
          .code(404)
          .send({ code: 'NOT_FOUND', message: `no asset ${request.params.name}` });
      return reply.type(asset.contentType).send(asset.body);
    });
    registerAuthRoutes(app, {
      users: options.users,
      sessions,
      limiter,
      metrics,
      maxAgeSeconds: options.sessionMaxHours * 3600,
      isSecureCookie: options.secureCookie,
    });
    registerPageRoutes(app, {
      sources: deps.sources,
      rollouts: deps.rollouts,
      now,
      requireSession,
      session,
      maxRecordsRead: MAX_RECORDS_PAGE,
    });
    registerDataRoutes(app, {
      records: deps.sources,
      now,
      requireSession,
      maxRecordsRead: MAX_RECORDS_READ,
    });
  };
}
