import { createHash, createPublicKey, sign, verify as verifySignature, type KeyObject } from 'node:crypto';

/** What an OTA artifact is for; each kind is applied by its own step on the gateway. */
export const ARTIFACT_KINDS = ['arduino-firmware', 'flows-bundle', 'gateway-config'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** What the fleet signing key vouches for: the artifact's identity and its exact content. */
export interface ArtifactManifest {
  kind: ArtifactKind;
  /** Semantic version, e.g. `0.2.0` (the version the firmware reports in its hello). */
  version: string;
  /** Content length in bytes. */
  size: number;
  /** SHA-256 of the content, 64 lowercase hex digits. */
  sha256: string;
  /** When the artifact was signed, ISO 8601 UTC (`2026-12-01T03:00:00.000Z`). */
  created: string;
}

/** The outcome of a check: accepted, or refused with a reason that names what is wrong. */
export type ArtifactCheck = { isValid: true } | { isValid: false; reason: string };

/** Domain separation: a signature over an artifact manifest can never pass for anything else. */
const SIGNATURE_CONTEXT = 'coupler-artifact-manifest-v1\n';
const VERSION_PATTERN = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
const ED25519_SIGNATURE_BYTES = 64;

/** Every problem of a manifest as `field: reason (got value)`; empty when it is well formed. */
export function manifestProblems(manifest: unknown): string[] {
  if (typeof manifest !== 'object' || manifest === null) return [`manifest: must be an object (got ${JSON.stringify(manifest)})`];
  const m = manifest as Record<string, unknown>;
  const problems: string[] = [];
  const got = (value: unknown) => `(got ${JSON.stringify(value)})`;
  if (!ARTIFACT_KINDS.includes(m.kind as ArtifactKind)) problems.push(`kind: must be one of ${ARTIFACT_KINDS.join(', ')} ${got(m.kind)}`);
  if (typeof m.version !== 'string' || !VERSION_PATTERN.test(m.version)) problems.push(`version: must be a semantic version like 1.2.3 ${got(m.version)}`);
  if (typeof m.size !== 'number' || !Number.isSafeInteger(m.size) || m.size < 0) problems.push(`size: must be a whole number of bytes >= 0 ${got(m.size)}`);
  if (typeof m.sha256 !== 'string' || !SHA256_PATTERN.test(m.sha256)) problems.push(`sha256: must be 64 lowercase hex digits ${got(m.sha256)}`);
  if (typeof m.created !== 'string' || Number.isNaN(Date.parse(m.created)) || new Date(m.created).toISOString() !== m.created) {
    problems.push(`created: must be an ISO 8601 UTC time like 2026-12-01T03:00:00.000Z ${got(m.created)}`);
  }
  const extra = Object.keys(m).filter((key) => !['kind', 'version', 'size', 'sha256', 'created'].includes(key));
  for (const key of extra) problems.push(`${key}: is not a manifest field`);
  return problems;
}

/**
 * The bytes that are signed: a context line, then the five fields in a fixed order as a JSON
 * array. Key order, spacing or extra fields of whatever JSON carried the manifest cannot change them.
 */
export function canonicalManifest(manifest: ArtifactManifest): Buffer {
  const fields = [manifest.kind, manifest.version, manifest.size, manifest.sha256, manifest.created];
  return Buffer.from(SIGNATURE_CONTEXT + JSON.stringify(fields), 'utf8');
}

/** The manifest of `content`, ready to be signed. */
export function describeArtifact(content: Uint8Array, kind: ArtifactKind, version: string, created: Date): ArtifactManifest {
  const manifest = { kind, version, size: content.length, sha256: sha256Hex(content), created: created.toISOString() };
  const problems = manifestProblems(manifest);
  if (problems.length > 0) throw new Error(`the artifact manifest is invalid: ${problems.join('; ')}`);
  return manifest;
}

/** Signs a manifest with the fleet's Ed25519 private key; the signature is 64 bytes. */
export function signManifest(manifest: ArtifactManifest, privateKey: KeyObject | string): Buffer {
  const problems = manifestProblems(manifest);
  if (problems.length > 0) throw new Error(`refusing to sign an invalid artifact manifest: ${problems.join('; ')}`);
  return sign(null, canonicalManifest(manifest), privateKey);
}

/** Checks that `signature` is the fleet key's signature over exactly this manifest. */
export function verifyManifest(manifest: unknown, signature: Uint8Array, publicKey: KeyObject | string): ArtifactCheck {
  const problems = manifestProblems(manifest);
  if (problems.length > 0) return { isValid: false, reason: `the artifact manifest is invalid: ${problems.join('; ')}` };
  if (signature.length !== ED25519_SIGNATURE_BYTES) {
    return { isValid: false, reason: `the signature is ${signature.length} bytes; an Ed25519 signature is ${ED25519_SIGNATURE_BYTES}` };
  }
  let key: KeyObject;
  try {
    key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  } catch (err) {
    return { isValid: false, reason: `the fleet public key cannot be read: ${(err as Error).message}` };
  }
  if (key.asymmetricKeyType !== 'ed25519') return { isValid: false, reason: `the fleet public key is ${key.asymmetricKeyType ?? 'not asymmetric'}, not ed25519` };
  const isSigned = verifySignature(null, canonicalManifest(manifest as ArtifactManifest), key, signature);
  return isSigned
    ? { isValid: true }
    : { isValid: false, reason: 'the signature does not match the manifest under the fleet public key (signed by another key, or the manifest was changed)' };
}

/** Checks that `content` is exactly what the manifest describes: its size, then its SHA-256. */
export function verifyContent(content: Uint8Array, manifest: ArtifactManifest): ArtifactCheck {
  if (content.length !== manifest.size) {
    const how = content.length < manifest.size ? 'truncated' : 'too long';
    return { isValid: false, reason: `the content is ${content.length} bytes, the manifest says ${manifest.size} (${how})` };
  }
  const actual = sha256Hex(content);
  if (actual !== manifest.sha256) return { isValid: false, reason: `the content's SHA-256 is ${actual}, the manifest says ${manifest.sha256}` };
  return { isValid: true };
}

export function sha256Hex(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
