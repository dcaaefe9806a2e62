import type { KeyObject } from 'node:crypto';
import { verifyContent, verifyManifest, type ArtifactKind } from '@coupler/kit';
import type { SignedArtifact } from './ports.js';

/**
 * Why an artifact's manifest must not be believed as a `kind`, or undefined when it may: the
 * signature first (nothing about an unsigned artifact is believed), then the kind.
 */
export function manifestRefusal(artifact: SignedArtifact, publicKey: KeyObject | string, kind: ArtifactKind): string | undefined {
  const signed = verifyManifest(artifact.manifest, artifact.signature, publicKey);
  if (!signed.isValid) return signed.reason;
  if (artifact.manifest.kind !== kind) return `the artifact is a ${artifact.manifest.kind}, not ${kind}`;
  return undefined;
}

/** manifestRefusal, then the content against the manifest (size, SHA-256). */
export function artifactRefusal(artifact: SignedArtifact, content: Uint8Array, publicKey: KeyObject | string, kind: ArtifactKind): string | undefined {
  const refusal = manifestRefusal(artifact, publicKey, kind);
  if (refusal !== undefined) return refusal;
  const intact = verifyContent(content, artifact.manifest);
  return intact.isValid ? undefined : intact.reason;
}

/** artifactRefusal for Arduino firmware, then whether the device can take the image. */
export function firmwareRefusal(artifact: SignedArtifact, content: Uint8Array, publicKey: KeyObject | string, imageProblem: (content: Uint8Array) => string | undefined): string | undefined {
  return artifactRefusal(artifact, content, publicKey, 'arduino-firmware') ?? imageProblem(content);
}
