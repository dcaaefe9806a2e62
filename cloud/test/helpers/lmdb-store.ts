import { onTestFinished } from 'vitest';
import { createLmdbTelemetryStore, type TelemetryStore } from '../../src/store/index.js';
import { tempDir } from './wait.js';

/** A real LMDB telemetry store in a temporary folder, open, closed when the test finishes. */
export async function openTempStore(): Promise<TelemetryStore> {
  const store = createLmdbTelemetryStore({ dataDir: tempDir('coupler-telemetry-') });
  onTestFinished(() => store.close());
  await store.open();
  return store;
}
