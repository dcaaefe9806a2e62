import type { KeyObject } from 'node:crypto';
import { verifyContent, verifyManifest } from '@coupler/kit';
import type { SignedArtifact } from './ports.js';

/**
 * Why an artifact must not be used, or undefined when it may: the signature over the manifest
 * first (nothing about an unsigned artifact is believed), then the content against the
 * manifest, the kind, and whether the device can take the image.
 */
export function firmwareRefusal(artifact: SignedArtifact, content: Uint8Array, publicKey: KeyObject | string, imageProblem: (content: Uint8Array) => string | undefined): string | undefined {
  const signed = verifyManifest(artifact.manifest, artifact.signature, publicKey);
  if (!signed.isValid) return signed.reason;
  const intact = verifyContent(content, artifact.manifest);
  if (!intact.isValid) return intact.reason;
  if (artifact.manifest.kind !== 'arduino-firmware') return `the artifact is a ${artifact.manifest.kind}, not arduino-firmware`;
  return imageProblem(content);
}
