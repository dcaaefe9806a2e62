import type { ArtifactManifest } from '@coupler/kit';

/** An artifact the cloud wants applied: the manifest the fleet key signed, and the signature. */
export interface DesiredArtifactSpec {
  /** As received; the updater checks it (a kind the wire did not know fails manifestProblems). */
  manifest: ArtifactManifest;
  signature: Uint8Array;
}

/** Where an item ended. */
export type FinalOutcome = 'done' | 'refused' | 'rolled_back' | 'failed';
export type ItemOutcome = 'in_progress' | FinalOutcome;

export interface ItemResult {
  outcome: FinalOutcome;
  /** The last step run. */
  step: string;
  /** Why the item did not end as done. */
  reason?: string;
  /**
   * False when the outcome depends on the gateway's own configuration (no fleet public key): the
   * item is tried again at the next pass instead of being settled for this target. Default true.
   */
  isFinal?: boolean;
}

/** Called with each step of an update as it starts or fails; the item stays in_progress. */
export type ProgressListener = (progress: { step: string; reason?: string }) => void;

/** Replaces the firmware of one device (the root builds it from ota's FirmwareExecutor). */
export interface FirmwareUpdater {
  readonly deviceId: string;
  /** Finishes an update an earlier run left unfinished; undefined when there was none. */
  resume(progress: ProgressListener): Promise<ItemResult | undefined>;
  /**
   * Resolves with how the update ended (done at once, the device untouched, when the signed
   * target is already installed); rejects when it must be retried later (cut download, held update lock).
   */
  apply(artifact: DesiredArtifactSpec, progress: ProgressListener): Promise<ItemResult>;
}

/** Applies a gateway-config artifact over the gateway's own configuration (the root builds it). */
export interface ConfigUpdater {
  /** Resolves with how the configuration ended; rejects when it must be retried later (cut download). */
  apply(artifact: DesiredArtifactSpec, progress: ProgressListener): Promise<ItemResult>;
  /** The desired state names no configuration: the gateway's own file alone is in force again. */
  clear(): Promise<void>;
}

/** Deploys a flows bundle to Node-RED (the root builds it from ota's download and nodered's deploy). */
export interface FlowsUpdater {
  /** Resolves with how the deployment ended; rejects when it must be retried later (cut download, Node-RED not running). */
  apply(artifact: DesiredArtifactSpec, progress: ProgressListener): Promise<ItemResult>;
  /**
   * Calls `listener` when the flows of bundle `sha256`, deployed earlier, were rolled back
   * (Node-RED crashed repeatedly after the deployment); returns the unsubscribe.
   */
  onRolledBack(listener: (sha256: string, reason: string) => void): () => void;
}
