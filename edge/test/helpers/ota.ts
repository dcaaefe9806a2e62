import { execFile } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describeArtifact, sha256Hex, signManifest } from '@coupler/kit';
import type { ArtifactSource, SignedArtifact } from '../../src/ota/index.js';

const FIRMWARE_DIR = fileURLToPath(new URL('../../../firmware/', import.meta.url));
const BUILD_TIMEOUT_MS = 180_000;

/** Firmware builds the OTA tests flash: the same sources with another version or no hello. */
export const FIRMWARE_VARIANTS = {
  'v0.2.0': { version: '0.2.0', defines: '-DFIRMWARE_VERSION_MINOR=2' },
  'never-hello': { version: '0.3.0', defines: '-DFIRMWARE_VERSION_MINOR=3 -DCOUPLER_TEST_NEVER_HELLO' },
} as const;
export type FirmwareVariant = keyof typeof FIRMWARE_VARIANTS;

export const variantHex = (name: FirmwareVariant): string => `${FIRMWARE_DIR}build/variants/${name}/coupler.hex`;

/** Builds the variants with make (after buildFirmware(), which builds the core they link). */
export async function buildFirmwareVariants(): Promise<void> {
  for (const [name, { defines }] of Object.entries(FIRMWARE_VARIANTS)) {
    try {
      await promisify(execFile)('flock', [`${FIRMWARE_DIR}build/.lock`, 'make', '-C', FIRMWARE_DIR, '-s', 'firmware-variant', `NAME=${name}`, `DEFINES=${defines}`], { timeout: BUILD_TIMEOUT_MS });
    } catch (err) {
      throw new Error(`building firmware variant ${name} failed: ${((err as { stderr?: string }).stderr ?? '').trim()}`, { cause: err });
    }
    if (!existsSync(variantHex(name as FirmwareVariant))) throw new Error(`make firmware-variant did not produce ${variantHex(name as FirmwareVariant)}`);
  }
}

export interface FleetKey {
  privateKey: KeyObject;
  publicKeyPem: string;
}

export function fleetKey(): FleetKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** An Intel HEX file signed as the cloud signs it. */
export function signedFirmware(hexPath: string, version: string, key: FleetKey): { artifact: SignedArtifact; content: Buffer } {
  const content = readFileSync(hexPath);
  const manifest = describeArtifact(content, 'arduino-firmware', version, new Date());
  return { artifact: { manifest, signature: signManifest(manifest, key.privateKey) }, content };
}

/**
 * FAKE of the cloud's artifact store, which is not part of the gateway (and whose chunked
 * download over gRPC is not built yet): serves content held in memory, and can cut the link
 * once after `cutAfterBytes` bytes, as a dropped mobile link would.
 */
export function memoryArtifactSource(contents: (Buffer | { sha256: string; content: Buffer })[], options: { cutAfterBytes?: number } = {}): ArtifactSource & { requests: { offset: number; maxBytes: number }[] } {
  const requests: { offset: number; maxBytes: number }[] = [];
  let cutAfterBytes = options.cutAfterBytes;
  // An entry with its own digest serves those bytes under it: a corrupted store or a tampered link.
  const byDigest = new Map(contents.map((c) => (Buffer.isBuffer(c) ? [sha256Hex(c), c] : [c.sha256, c.content])));
  return {
    requests,
    readChunk: (sha256, offset, maxBytes) => {
      requests.push({ offset, maxBytes });
      const content = byDigest.get(sha256);
      if (!content) return Promise.reject(new Error(`no artifact ${sha256}`));
      if (cutAfterBytes !== undefined && offset >= cutAfterBytes) {
        cutAfterBytes = undefined;
        return Promise.reject(new Error('the link was cut'));
      }
      return Promise.resolve(content.subarray(offset, offset + maxBytes));
    },
  };
}
