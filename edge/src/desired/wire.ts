import type { ArtifactKind, ArtifactManifest } from '@coupler/kit';
import type { DesiredArtifact__Output, DesiredState__Output } from '@coupler/proto';
import type { DesiredArtifactSpec } from './ports.js';

const KINDS: Record<string, ArtifactKind> = {
  ARTIFACT_KIND_ARDUINO_FIRMWARE: 'arduino-firmware',
  ARTIFACT_KIND_FLOWS_BUNDLE: 'flows-bundle',
  ARTIFACT_KIND_GATEWAY_CONFIG: 'gateway-config',
};

/** One entry of the desired state; `artifact` undefined when the cloud sent none. */
export interface DesiredEntry {
  deviceId: string;
  rolloutId: string;
  artifact: DesiredArtifactSpec | undefined;
}

/** The cloud's DesiredState in the gateway's terms; kept on disk as JSON (signatures in base64). */
export interface DesiredSpec {
  revision: number;
  firmware: DesiredEntry[];
  flows: DesiredEntry | undefined;
  config: DesiredEntry | undefined;
}

export function desiredFromWire(state: DesiredState__Output): DesiredSpec {
  return {
    revision: state.revision,
    firmware: state.firmware.map((entry) => entryFromWire(entry.deviceId, entry.artifact)),
    flows: state.flows ? entryFromWire('', state.flows) : undefined,
    config: state.config ? entryFromWire('', state.config) : undefined,
  };
}

function entryFromWire(deviceId: string, desired: DesiredArtifact__Output | null): DesiredEntry {
  const artifact = desired?.artifact;
  if (!artifact) return { deviceId, rolloutId: desired?.rolloutId ?? '', artifact: undefined };
  // A kind this gateway does not know stays as sent, so the manifest check names it.
  const manifest = { kind: KINDS[artifact.kind] ?? artifact.kind, version: artifact.version, size: artifact.sizeBytes, sha256: artifact.sha256, created: artifact.created } as ArtifactManifest;
  return { deviceId, rolloutId: desired.rolloutId, artifact: { manifest, signature: Uint8Array.from(artifact.signature) } };
}

/** JSON of a spec for the state file: Uint8Array signatures as base64. */
export function specToJson(spec: DesiredSpec): unknown {
  const entry = (e: DesiredEntry) => ({ ...e, artifact: e.artifact && { manifest: e.artifact.manifest, signatureBase64: Buffer.from(e.artifact.signature).toString('base64') } });
  return { revision: spec.revision, firmware: spec.firmware.map(entry), flows: spec.flows && entry(spec.flows), config: spec.config && entry(spec.config) };
}

interface JsonEntry {
  deviceId: string;
  rolloutId: string;
  artifact?: { manifest: ArtifactManifest; signatureBase64: string };
}

export function specFromJson(json: { revision: number; firmware: JsonEntry[]; flows?: JsonEntry; config?: JsonEntry }): DesiredSpec {
  const entry = (e: JsonEntry): DesiredEntry => ({ deviceId: e.deviceId, rolloutId: e.rolloutId, artifact: e.artifact && { manifest: e.artifact.manifest, signature: Buffer.from(e.artifact.signatureBase64, 'base64') } });
  return { revision: json.revision, firmware: json.firmware.map(entry), flows: json.flows && entry(json.flows), config: json.config && entry(json.config) };
}
