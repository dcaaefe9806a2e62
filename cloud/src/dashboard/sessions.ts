import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface Session {
  /** 32 random bytes, base64url: the cookie value, and the only key to the session. */
  id: string;
  username: string;
  role: string;
  /** Sent back in forms that change something (logout); compared in constant time. */
  csrfToken: string;
  createdAtMs: number;
  lastUsedAtMs: number;
}

export interface SessionStoreOptions {
  idleMs: number;
  maxAgeMs: number;
  /** Oldest sessions are ended first when more would be kept. */
  maxSessions: number;
}

export interface SessionStore {
  create(username: string, role: string): Session;
  /** The live session with this id, marked as used now; undefined when unknown or expired. */
  use(id: string): Session | undefined;
  end(id: string): void;
  size(): number;
}

const ID_BYTES = 32;

/**
 * Sessions kept in this process only (a random id in the cookie, everything else here), so
 * logout and expiry take effect at once. Several cloud replicas need sticky routing (0110).
 */
export function createSessionStore(options: SessionStoreOptions, now: () => number): SessionStore {
  const sessions = new Map<string, Session>();
  const isExpired = (session: Session, atMs: number): boolean =>
    atMs - session.lastUsedAtMs > options.idleMs || atMs - session.createdAtMs > options.maxAgeMs;
  const prune = (atMs: number): void => {
    for (const [id, session] of sessions) if (isExpired(session, atMs)) sessions.delete(id);
    // Map iteration is insertion order: the first ones are the oldest.
    for (const id of sessions.keys()) {
      if (sessions.size < options.maxSessions) break;
      sessions.delete(id);
    }
  };
  return {
    create(username, role) {
      const atMs = now();
      prune(atMs);
      const session: Session = {
        id: randomBytes(ID_BYTES).toString('base64url'),
        username,
        role,
        csrfToken: randomBytes(ID_BYTES).toString('base64url'),
        createdAtMs: atMs,
        lastUsedAtMs: atMs,
      };
      sessions.set(session.id, session);
      return session;
    },
    use(id) {
      const session = sessions.get(id);
      if (!session) return undefined;
      const atMs = now();
      if (isExpired(session, atMs)) {
        sessions.delete(id);
        return undefined;
      }
      session.lastUsedAtMs = atMs;
      return session;
    },
    end(id) {
      sessions.delete(id);
    },
    size: () => sessions.size,
  };
}

/** Constant-time comparison of two tokens (false for different lengths). */
export function isSameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
