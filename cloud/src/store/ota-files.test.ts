import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileArtifactBlobs } from '../artifacts/index.js';
import { fileRolloutRepository } from '../rollouts/index.js';
import { describeOtaStoreContract } from './ota-contract.js';

// The embedded store keeps rollouts and artifacts as files in the data folder (docs/decisions/0085).
describeOtaStoreContract('files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-ota-files-'));
  return Promise.resolve({
    isShared: false,
    open: () => Promise.resolve({ rollouts: fileRolloutRepository(join(dir, 'rollouts')), artifacts: fileArtifactBlobs(join(dir, 'artifacts')) }),
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});
