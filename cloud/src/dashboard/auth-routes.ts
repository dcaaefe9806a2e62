import type { FastifyReply, FastifyRequest } from 'fastify';
import { verifySecret } from '@coupler/kit';
import { readCookie, SESSION_COOKIE, sessionCookie } from './cookies.js';
import { page } from './html.js';
import type { DashboardApp } from './ports.js';
import type { LoginLimiter } from './login-limiter.js';
import type { DashboardMetrics } from './metrics.js';
import { loginBody } from './pages.js';
import { isSameToken, type Session, type SessionStore } from './sessions.js';
import { CloudErrorCode } from '../errors.js';

export interface DashboardUser {
  readonly username: string;
  readonly passwordHash: string;
  readonly role: string;
}

export interface AuthDeps {
  users: readonly DashboardUser[];
  sessions: SessionStore;
  limiter: LoginLimiter;
  metrics: DashboardMetrics;
  maxAgeSeconds: number;
  isSecureCookie: boolean;
}

// A well-formed hash no password matches: an unknown username costs the same scrypt as a known one.
const NO_USER_HASH = `scrypt$16384$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`;
const DEFAULT_NEXT = '/dashboard';

/** Where to go after login: only a dashboard path of this server (no open redirect). */
export function safeNext(next: string | undefined): string {
  return next !== undefined &&
    /^\/dashboard(?:[/?][^\\]*)?$/.test(next) &&
    !next.includes('//') &&
    !next.includes('..')
    ? next
    : DEFAULT_NEXT;
}

/** A form posted from another origin is refused even before SameSite does its part. */
function isForeignOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    // An Origin that is not a URL is not ours.
    return true;
  }
}

const loginSchema = {
  body: {
    type: 'object',
    properties: {
      username: { type: 'string', minLength: 1, maxLength: 64 },
      password: { type: 'string', minLength: 1, maxLength: 1024 },
      next: { type: 'string', maxLength: 512 },
    },
    required: ['username', 'password'],
  },
} as const;

const loginPageSchema = {
  querystring: { type: 'object', properties: { next: { type: 'string', maxLength: 512 } } },
} as const;

interface LoginBody {
  username: string;
  password: string;
  next?: string;
}

function sendLoginPage(
  reply: FastifyReply,
  status: number,
  options: Parameters<typeof loginBody>[0],
) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(page({ title: 'Log in', body: loginBody(options) }));
}

/** The session a request's cookie names, if it is live. */
export function sessionOf(request: FastifyRequest, sessions: SessionStore): Session | undefined {
  const id = readCookie(request.headers.cookie, SESSION_COOKIE);
  return id === undefined ? undefined : sessions.use(id);
}

export function registerAuthRoutes(app: DashboardApp, deps: AuthDeps): void {
  const hasUsers = deps.users.length > 0;

  app.get<{ Querystring: { next?: string } }>(
    '/login',
    { schema: loginPageSchema },
    (request, reply) => sendLoginPage(reply, 200, { next: safeNext(request.query.next), hasUsers }),
  );

  app.post<{ Body: LoginBody }>(
    '/login',
    { schema: loginSchema, attachValidation: true },
    async (request, reply) => {
      if (isForeignOrigin(request)) {
        deps.metrics.loginAttempted('forbidden');
        return reply.code(403).send({
          code: CloudErrorCode.dashboardForbidden,
          message: 'login form posted from another origin',
        });
      }
      if (request.validationError) {
        deps.metrics.loginAttempted('invalid');
        return reply.code(400).send({
          code: CloudErrorCode.dashboardLoginInvalid,
          message: request.validationError.message,
        });
      }
      const { username, password } = request.body;
      const next = safeNext(request.body.next);
      const keys = [`ip:${request.ip}`, `user:${username}`];
      const retryAfterSeconds = deps.limiter.retryAfterSeconds(keys);
      if (retryAfterSeconds > 0) {
        deps.metrics.loginAttempted('rate_limited');
        void reply.header('retry-after', String(retryAfterSeconds));
        return sendLoginPage(reply, 429, {
          next,
          hasUsers,
          username,
          error: `Too many failed logins: try again in ${retryAfterSeconds} s.`,
        });
      }
      const user = deps.users.find((u) => u.username === username);
      const isMatch = await verifySecret(password, user?.passwordHash ?? NO_USER_HASH);
      if (!user || !isMatch) {
        deps.limiter.failed(keys);
        deps.metrics.loginAttempted('wrong_credentials');
        request.log.info({ username, ip: request.ip }, 'dashboard login refused');
        return sendLoginPage(reply, 401, {
          next,
          hasUsers,
          username,
          error: 'Wrong username or password.',
        });
      }
      deps.limiter.succeeded(keys);
      deps.metrics.loginAttempted('ok');
      const session = deps.sessions.create(user.username, user.role);
      request.log.info({ username, ip: request.ip }, 'dashboard login');
      return reply
        .header(
          'set-cookie',
          sessionCookie(session.id, {
            maxAgeSeconds: deps.maxAgeSeconds,
            isSecure: deps.isSecureCookie,
          }),
        )
        .redirect(next, 303);
    },
  );

  app.post<{ Body: { csrfToken?: unknown } | undefined }>('/logout', (request, reply) => {
    const session = sessionOf(request, deps.sessions);
    if (session) {
      const token = request.body?.csrfToken;
      if (typeof token !== 'string' || !isSameToken(token, session.csrfToken))
        return reply.code(403).send({
          code: CloudErrorCode.dashboardForbidden,
          message: 'csrfToken is missing or does not match the session',
        });
      deps.sessions.end(session.id);
      request.log.info({ username: session.username }, 'dashboard logout');
    }
    return reply
      .header('set-cookie', sessionCookie('', { maxAgeSeconds: 0, isSecure: deps.isSecureCookie }))
      .redirect('/login', 303);
  });
}
