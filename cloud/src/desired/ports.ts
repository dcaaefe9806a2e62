import type { DesiredLayer, DesiredReport, GatewayLabels } from '../records/index.js';

/** An artifact as the artifact store signed it. */
export interface SignedArtifactView {
  kind: string;
  version: string;
  size: number;
  sha256: string;
  created: string;
  signature: Uint8Array;
}

/** Where layers are kept (the identity store: LMDB or PostgreSQL). */
export interface DesiredLayerStore {
  putDesiredLayer(layer: Omit<DesiredLayer, 'revision'>): Promise<DesiredLayer>;
  getDesiredLayer(scope: string): Promise<DesiredLayer | undefined>;
  listDesiredLayers(): Promise<DesiredLayer[]>;
  watchDesiredLayers(listener: (scope: string) => void): () => void;
  putDesiredReport(report: DesiredReport): Promise<void>;
  getDesiredReport(gatewayId: string): Promise<DesiredReport | undefined>;
  /** Reports stored by any process sharing the store (PostgreSQL); never with LMDB. */
  watchDesiredReports(listener: (gatewayId: string) => void): () => void;
}

/** What the desired-state capability needs from the rest of the cloud; the root passes it in. */
export interface DesiredStateDeps {
  layers: DesiredLayerStore;
  labels: (gatewayId: string) => Promise<GatewayLabels | undefined>;
  /** The signed manifest of a stored artifact, or undefined when there is none. */
  artifact: (sha256: string) => Promise<SignedArtifactView | undefined>;
  /** Writes a composed state to the gateway's open sync streams (none: nothing happens). */
  push: (gatewayId: string, state: ComposedState) => void;
  /** Gateways with a sync stream open on this process. */
  connectedGateways: () => string[];
  now: () => number;
}

export interface ComposedArtifact {
  artifact: SignedArtifactView;
  rolloutId: string;
}

/** A gateway's desired state after composition: what goes on the wire (sync.proto DesiredState). */
export interface ComposedState {
  revision: number;
  firmware: { deviceId: string; artifact: ComposedArtifact }[];
  flows?: ComposedArtifact;
  config?: ComposedArtifact;
}
