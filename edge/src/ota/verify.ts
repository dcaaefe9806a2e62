import type { KeyObject } from 'node:crypto';
import { verifyContent, verifyManifest, type ArtifactKind } from '@coupler/kit';
import type { SignedArtifact } from './ports.js';

/**
 * Why an artifact must not be used as a `kind`, or undefined when it may: the signature over
 * the manifest first (nothing about an unsigned artifact is believed), then the content
 * against the manifest, then the kind.
 */
export function artifactRefusal(artifact: SignedArtifact, content: Uint8Array, publicKey: KeyObject | string, kind: ArtifactKind): string | undefined {
  const signed = verifyManifest(artifact.manifest, artifact.signature, publicKey);
  if (!signed.isValid) return signed.reason;
  const intact = verifyContent(content, artifact.manifest);
  if (!intact.isValid) return intact.reason;
  if (artifact.manifest.kind !== kind) return `the artifact is a ${artifact.manifest.kind}, not ${kind}`;
  return undefined;
}

/** artifactRefusal for Arduino firmware, then whether the device can take the image. */
export function firmwareRefusal(artifact: SignedArtifact, content: Uint8Array, publicKey: KeyObject | string, imageProblem: (content: Uint8Array) => string | undefined): string | undefined {
  return artifactRefusal(artifact, content, publicKey, 'arduino-firmware') ?? imageProblem(content);
}
