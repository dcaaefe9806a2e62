import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { errorMessage } from '@coupler/kit';
import type { FrozenEdgeConfig } from './config/index.js';

/** The fleet's public key, or why there is none usable (the items are then refused, never applied unverified). */
export type FleetKey = { key: KeyObject } | { problem: string };

export function readFleetKey(ota: FrozenEdgeConfig['ota']): FleetKey {
  let pem = ota.publicKeyPem;
  if (ota.publicKeyFile !== '') {
    try {
      pem = readFileSync(ota.publicKeyFile, 'utf8');
    } catch (err) {
      return { problem: `ota.publicKeyFile ${ota.publicKeyFile} cannot be read (${errorMessage(err)}), so no signature can be checked; nothing is applied unverified` };
    }
  }
  if (pem === '') return { problem: 'the gateway has no fleet public key (ota.publicKeyFile or ota.publicKeyPem), so no signature can be checked; nothing is applied unverified' };
  try {
    const key = createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') return { problem: `the fleet public key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not ed25519; nothing is applied unverified` };
    return { key };
  } catch (err) {
    return { problem: `the fleet public key is not a PEM public key (${errorMessage(err)}); nothing is applied unverified` };
  }
}
