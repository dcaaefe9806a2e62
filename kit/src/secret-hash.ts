import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password and API-key hashes: `scrypt$<N>$<r>$<p>$<salt>$<hash>` (salt and hash in base64url).
 * The cost parameters travel with the hash, like mosquitto_passwd's iterations, so a stronger
 * setting later does not invalidate stored hashes.
 */
export const SECRET_HASH_PATTERN = '^scrypt\\$[0-9]{1,8}\\$[0-9]{1,3}\\$[0-9]{1,3}\\$[A-Za-z0-9_-]{16,}\\$[A-Za-z0-9_-]{32,}$';
/** scrypt's recommended interactive cost (RFC 7914 §2: N = 2^14, r = 8, p = 1). */
export const DEFAULT_SCRYPT_COST = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(secret: string, salt: Buffer, cost: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem: N * r * 128 bytes plus headroom; node's default (32 MiB) refuses N = 2^15.
    const maxmem = 256 * (cost.N ?? 1) * (cost.r ?? 8) + 1_048_576;
    scrypt(secret, salt, KEY_BYTES, { ...cost, maxmem }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

export async function hashSecret(secret: string, cost: { N: number; r: number; p: number } = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(secret, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `secret` matches `encoded`; false for a mismatch or a hash it cannot read. */
export async function verifySecret(secret: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  try {
    const key = await derive(secret, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
    return key.length === expected.length && timingSafeEqual(key, expected);
  } catch {
    // Parameters scrypt refuses (N not a power of two, too much memory): no match, never a throw.
    return false;
  }
}

/** A random secret for development mode: 32 bytes, base64url. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
