import { Type } from '@sinclair/typebox';

/** Over-the-air updates the cloud asks for through the desired state (docs/decisions/0100, 0102). */
export const OtaSection = Type.Object(
  {
    publicKeyFile: Type.String({ default: '', description: 'PEM file of the fleet\'s Ed25519 public key, which every artifact\'s signature is checked against. Without it (and without ota.publicKeyPem) desired firmware and flows are refused, never applied unverified.', requiresRestart: true }),
    publicKeyPem: Type.String({ default: '', description: 'The same key as PEM text (a balena variable), used when ota.publicKeyFile is empty.', requiresRestart: true }),
    updateLockPath: Type.String({ minLength: 1, default: '/tmp/balena/updates.lock', description: 'balena\'s update lock, held (lockfile and flock) while an Arduino is written.', requiresRestart: true }),
    helloTimeoutMs: Type.Integer({ minimum: 1000, maximum: 600_000, default: 15_000, description: 'How long new Arduino firmware has to say hello after it was written before the previous firmware is written back.', requiresRestart: true }),
    retryInitialMs: Type.Integer({ minimum: 10, maximum: 3_600_000, default: 10_000, description: 'First delay before an update that could not go on (cut download, update lock held, Node-RED not running) is tried again; it grows up to ota.retryMaxMs.', requiresRestart: true }),
    retryMaxMs: Type.Integer({ minimum: 100, maximum: 86_400_000, default: 600_000, description: 'Longest delay between two attempts of an update.', requiresRestart: true }),
  },
  { additionalProperties: false, default: {} },
);
