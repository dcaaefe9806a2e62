import { createHash } from 'node:crypto';
import { CouplerError, verifySecret } from '@coupler/kit';
import { CloudErrorCode } from '../errors.js';
import type { Role } from '../records/index.js';
import { bearerKey, parseSecret } from './bearer.js';
import type { IdentityRecords } from './ports.js';

/** Who made an admin call. */
export interface Principal {
  /** "key:<name>". */
  actor: string;
  role: Role;
}

export interface ConfiguredKey {
  name: string;
  role: Role;
  hash: string;
}

// scrypt costs tens of milliseconds by design; a key that matched is remembered this long
// (by its SHA-256, never in clear) so a busy dashboard does not pay it on every call. Role and
// revocation are still read on every call.
const VERIFIED_TTL_MS = 60_000;
const MAX_VERIFIED = 1000;

/** Turns `authorization: Bearer <key>` into a Principal, or throws CPL_ERR_UNAUTHENTICATED. */
export class ApiKeyAuthenticator {
  private readonly verified = new Map<string, number>();

  constructor(
    private readonly configured: readonly ConfiguredKey[],
    private readonly records: IdentityRecords,
    private readonly now: () => number,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    const key = bearerKey(authorization);
    if (key === undefined) {
      throw new CouplerError(
        CloudErrorCode.unauthenticated,
        'this call needs an API key: send metadata "authorization: Bearer <key>"',
      );
    }
    const digest = createHash('sha256').update(key).digest('base64url');
    const parsed = parseSecret('cplk', key);
    if (parsed) {
      const stored = await this.records.getApiKey(parsed.id);
      if (stored && stored.revokedAtMs === undefined && (await this.matches(digest, parsed.secret, stored.secretHash))) {
        return { actor: `key:${stored.name}`, role: stored.role };
      }
    } else {
      for (const entry of this.configured) {
        if (await this.matches(digest, key, entry.hash)) return { actor: `key:${entry.name}`, role: entry.role };
      }
    }
    throw new CouplerError(CloudErrorCode.unauthenticated, 'the API key is unknown or revoked');
  }

  private async matches(digest: string, secret: string, hash: string): Promise<boolean> {
    const cacheKey = `${digest}|${hash}`;
    const until = this.verified.get(cacheKey);
    if (until !== undefined && until > this.now()) return true;
    if (!(await verifySecret(secret, hash))) return false;
    if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
    this.verified.set(cacheKey, this.now() + VERIFIED_TTL_MS);
    return true;
  }
}
