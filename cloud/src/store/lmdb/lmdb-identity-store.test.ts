import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeIdentityStoreContract } from '../identity-contract.js';
import { LmdbIdentityStore } from './lmdb-identity-store.js';

describeIdentityStoreContract('lmdb', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coupler-cloud-identity-'));
  return Promise.resolve({
    store: new LmdbIdentityStore({ dataDir: dir }),
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});
