import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalManifest, describeArtifact, signManifest, verifyContent, verifyManifest } from './artifact-signature.js';

const fleet = generateKeyPairSync('ed25519');
const content = Buffer.from(':100000000C945C000C946E000C946E000C946E00CA\n:00000001FF\n');
const manifest = describeArtifact(content, 'arduino-firmware', '0.2.0', new Date('2026-12-01T03:00:00Z'));
const signature = signManifest(manifest, fleet.privateKey);

describe('signed artifacts (Ed25519 over a canonical manifest)', () => {
  it('accepts the content and manifest the fleet key signed', () => {
    expect(manifest).toEqual({ kind: 'arduino-firmware', version: '0.2.0', size: content.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown, created: '2026-12-01T03:00:00.000Z' });
    expect(verifyManifest(manifest, signature, fleet.publicKey)).toEqual({ isValid: true });
    expect(verifyManifest(manifest, signature, fleet.publicKey.export({ type: 'spki', format: 'pem' }).toString())).toEqual({ isValid: true });
    expect(verifyContent(content, manifest)).toEqual({ isValid: true });
  });

  it('signs the fields, not the JSON that carried them: key order does not matter', () => {
    const reordered = { created: manifest.created, sha256: manifest.sha256, size: manifest.size, version: manifest.version, kind: manifest.kind };
    expect(canonicalManifest(reordered)).toEqual(canonicalManifest(manifest));
    expect(verifyManifest(reordered, signature, fleet.publicKey)).toEqual({ isValid: true });
  });

  it('refuses content with one byte changed, naming both digests', () => {
    const tampered = Buffer.from(content);
    tampered[10] = (tampered[10] ?? 0) ^ 0x01;
    const check = verifyContent(tampered, manifest);
    expect(check).toEqual({ isValid: false, reason: expect.stringMatching(new RegExp(`^the content's SHA-256 is [0-9a-f]{64}, the manifest says ${manifest.sha256}$`)) as unknown });
  });

  it('refuses a truncated file by its size before hashing it', () => {
    expect(verifyContent(content.subarray(0, 20), manifest)).toEqual({ isValid: false, reason: `the content is 20 bytes, the manifest says ${content.length} (truncated)` });
  });

  it('refuses a manifest signed by another key', () => {
    const other = generateKeyPairSync('ed25519');
    const forged = signManifest(manifest, other.privateKey);
    expect(verifyManifest(manifest, forged, fleet.publicKey)).toEqual({
      isValid: false,
      reason: 'the signature does not match the manifest under the fleet public key (signed by another key, or the manifest was changed)',
    });
  });

  it('refuses a genuine signature on a manifest whose version was changed', () => {
    expect(verifyManifest({ ...manifest, version: '9.9.9' }, signature, fleet.publicKey)).toMatchObject({ isValid: false });
  });

  it('names every malformed field of a manifest and a cut signature', () => {
    expect(verifyManifest({ kind: 'kernel', version: 'latest', size: -1, sha256: 'ABC', created: 'yesterday', extra: 1 }, signature, fleet.publicKey)).toEqual({
      isValid: false,
      reason:
        'the artifact manifest is invalid: kind: must be one of arduino-firmware, flows-bundle, gateway-config (got "kernel"); version: must be a semantic version like 1.2.3 (got "latest"); ' +
        'size: must be a whole number of bytes >= 0 (got -1); sha256: must be 64 lowercase hex digits (got "ABC"); created: must be an ISO 8601 UTC time like 2026-12-01T03:00:00.000Z (got "yesterday"); extra: is not a manifest field',
    });
    expect(verifyManifest(manifest, signature.subarray(0, 63), fleet.publicKey)).toEqual({ isValid: false, reason: 'the signature is 63 bytes; an Ed25519 signature is 64' });
  });

  it('refuses a public key that is not Ed25519', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(verifyManifest(manifest, signature, rsa.publicKey)).toEqual({ isValid: false, reason: 'the fleet public key is rsa, not ed25519' });
  });
});
