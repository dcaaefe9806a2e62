import type { ArtifactManifest } from '@coupler/kit';

/** An artifact as the cloud publishes it: what it is, and the fleet key's signature over that. */
export interface SignedArtifact {
  manifest: ArtifactManifest;
  /** Ed25519 signature over the canonical manifest (kit's canonicalManifest), 64 bytes. */
  signature: Uint8Array;
}

/** Where artifact content comes from (the cloud's artifact store over the sync link). */
export interface ArtifactSource {
  /**
   * Up to `maxBytes` of the content of the artifact `sha256` from `offset` (fewer only at its
   * end). Rejects when the link is cut; the download resumes from what was stored.
   */
  readChunk(sha256: string, offset: number, maxBytes: number): Promise<Uint8Array>;
}

/** What was flashed and what the device said afterwards. */
export interface FlashOutcome {
  bytesWritten: number;
  /** Pages written and then read back equal. */
  pagesVerified: number;
}

/** One device whose firmware the executor replaces (an Arduino behind its bootloader). */
export interface FirmwareTarget {
  /** Why this content cannot be flashed (not Intel HEX, too large), or undefined when it can. */
  imageProblem(content: Uint8Array): string | undefined;
  /** Writes the image through the bootloader and reads every page back; rejects naming what failed. */
  flash(content: Uint8Array): Promise<FlashOutcome>;
  /** The firmware version of the first hello after the last flash; rejects after `timeoutMs`. */
  waitForHello(timeoutMs: number): Promise<string>;
  /**
   * The firmware on the device now, read back from it, with the version it last reported;
   * undefined when the device holds none. Absent: the target cannot be read back.
   */
  readInstalled?(): Promise<{ content: Uint8Array; version: string } | undefined>;
}
