import { afterAll, beforeAll } from 'vitest';
import { createDatabase, startPostgres, type RunningPostgres } from '../../../test/helpers/postgres.js';
import { describeIdentityStoreContract } from '../identity-contract.js';
import { PostgresIdentityStore } from './postgres-identity-store.js';

let server: RunningPostgres;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server.close();
});

describeIdentityStoreContract('postgres', async () => ({
  store: new PostgresIdentityStore({ connectionString: await createDatabase(server.url) }),
  // Each test has its own database; the cluster goes with the file.
  cleanup: () => Promise.resolve(),
}));
