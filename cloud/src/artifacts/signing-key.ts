import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SigningKey {
  privateKey: KeyObject;
  /** SPKI PEM: what gateways receive with their provisioning to verify artifacts. */
  publicKeyPem: string;
}

/**
 * The fleet's Ed25519 artifact-signing key, kept in a 0600 PEM file; created on first use
 * unless `mayCreate` is false (a file the configuration names must exist).
 * The private half never leaves the cloud.
 */
export function loadOrCreateSigningKey(path: string, options: { mayCreate?: boolean } = {}): SigningKey {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (options.mayCreate === false) throw new Error(`${path}: there is no artifact-signing key file (identity.artifactSigningKeyFile); give the Ed25519 PEM every cloud process shares`, { cause: err });
    mkdirSync(dirname(path), { recursive: true });
    pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`${path} holds a ${privateKey.asymmetricKeyType ?? 'unknown'} key; the artifact-signing key must be ed25519`);
  return { privateKey, publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString() };
}
