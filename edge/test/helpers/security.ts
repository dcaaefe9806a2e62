import { hashSecret } from '../../src/lib/index.js';
import type { BusRole, BusUser } from '../../src/bus/index.js';
import type { ApiKey } from '../../src/api/index.js';

/** Cheap scrypt cost for tests only (the product's default is N = 2^14). */
const TEST_COST = { N: 1024, r: 8, p: 1 } as const;
const hashes = new Map<string, Promise<string>>();

/** The scrypt hash of `secret`, computed once per test file. */
export function testHash(secret: string): Promise<string> {
  let hash = hashes.get(secret);
  if (!hash) {
    hash = hashSecret(secret, TEST_COST);
    hashes.set(secret, hash);
  }
  return hash;
}

/** Every test user's password is `pw-<username>`. */
export function passwordOf(username: string): string {
  return `pw-${username}`;
}

export async function busUser(username: string, role: BusRole): Promise<BusUser> {
  return { username, passwordHash: await testHash(passwordOf(username)), role };
}

export const ADMIN_KEY = 'test-admin-key-0123456789';
export const READ_KEY = 'test-read-key-0123456789';

export async function apiKeys(): Promise<ApiKey[]> {
  return [
    { name: 'test-admin', hash: await testHash(ADMIN_KEY), role: 'admin' },
    { name: 'test-reader', hash: await testHash(READ_KEY), role: 'readOnly' },
  ];
}

/** COUPLER_* variables that give a gateway its required secrets: API keys and broker users. */
export async function securityEnv(users: { username: string; role: BusRole }[] = []): Promise<Record<string, string>> {
  const all = [{ username: 'gateway-service', role: 'service' as const }, ...users];
  return {
    COUPLER_API_KEYS: JSON.stringify(await apiKeys()),
    COUPLER_BUS_USERS: JSON.stringify(await Promise.all(all.map((u) => busUser(u.username, u.role)))),
    // Tests that sync talk to a plaintext test cloud; identity has its own tests.
    COUPLER_SYNC_TLS: 'insecure',
  };
}
