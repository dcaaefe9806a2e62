import { createHash, timingSafeEqual } from 'node:crypto';
import { verifySecret } from '../lib/index.js';
import type { Principal } from './acl.js';
import type { BusCredentials } from './ports.js';

/** CONNACK return codes of MQTT 3.1.1 Table 3.1 that the bus answers with. */
export const CONNACK_BAD_CREDENTIALS = 4;
export const CONNACK_NOT_AUTHORIZED = 5;

export type AuthOutcome =
  | { ok: true; principal: Principal }
  | { ok: false; returnCode: typeof CONNACK_BAD_CREDENTIALS | typeof CONNACK_NOT_AUTHORIZED; reason: 'no_credentials' | 'bad_credentials' };

// A well-formed hash no password matches: unknown users cost the same scrypt run as known ones,
// so the answer time does not tell which user names exist.
const DUMMY_HASH = `scrypt$16384$8$1$${'A'.repeat(22)}$${'A'.repeat(43)}`;
const DEVICE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const CACHE_LIMIT = 1000;

function digest(password: Buffer): Buffer {
  return createHash('sha256').update(password).digest();
}

/**
 * Checks CONNECT credentials against scrypt hashes. A password that matched once is remembered
 * as its SHA-256 (per user and hash), so a device reconnecting over a flaky link does not pay
 * for scrypt again; a wrong password always does.
 */
export class BusAuthenticator {
  private readonly matched = new Map<string, Buffer>();

  constructor(
    private readonly credentials: BusCredentials,
    private readonly allowAnonymous: boolean,
  ) {}

  /**
   * `certifiedName`: the common name of a client certificate the TLS listener verified against
   * bus.tls.clientCaFile. It stands in for the password of the user it names; a CONNECT that
   * also gives a user name must give that same name.
   */
  async authenticate(clientId: string, username: string | undefined, password: Buffer | undefined, certifiedName?: string): Promise<AuthOutcome> {
    if (certifiedName !== undefined && (username === undefined || username === '' || username === certifiedName)) {
      const user = this.credentials.user(certifiedName);
      if (user) return { ok: true, principal: { role: user.role, name: user.username } };
      return { ok: false, returnCode: CONNACK_NOT_AUTHORIZED, reason: 'bad_credentials' };
    }
    if (username === undefined || username === '') {
      // Development only (the configuration check refuses it otherwise): the client id is the device id.
      if (this.allowAnonymous && password === undefined && DEVICE_ID.test(clientId)) return { ok: true, principal: { role: 'device', name: clientId } };
      return { ok: false, returnCode: CONNACK_NOT_AUTHORIZED, reason: 'no_credentials' };
    }
    const user = this.credentials.user(username);
    const given = password ?? Buffer.alloc(0);
    const cacheKey = user ? `${user.username}\u0000${user.passwordHash}` : '';
    const remembered = this.matched.get(cacheKey);
    if (user && remembered && timingSafeEqual(remembered, digest(given))) return { ok: true, principal: { role: user.role, name: user.username } };
    const isMatch = await verifySecret(given.toString('utf8'), user?.passwordHash ?? DUMMY_HASH);
    if (!user || password === undefined || !isMatch) return { ok: false, returnCode: CONNACK_BAD_CREDENTIALS, reason: 'bad_credentials' };
    if (this.matched.size >= CACHE_LIMIT) this.matched.clear();
    this.matched.set(cacheKey, digest(given));
    return { ok: true, principal: { role: user.role, name: user.username } };
  }
}
