import { afterAll, beforeAll } from 'vitest';
import { createDatabase, startPostgres, type RunningPostgres } from '../../../test/helpers/postgres.js';
import { describeOtaStoreContract } from '../ota-contract.js';
import { PostgresOtaStore } from './postgres-ota-store.js';

let server: RunningPostgres;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(async () => {
  await server.close();
});

describeOtaStoreContract('postgres', async () => {
  const connectionString = await createDatabase(server.url);
  const opened: PostgresOtaStore[] = [];
  return {
    isShared: true,
    open: async () => {
      const store = new PostgresOtaStore({ connectionString });
      await store.open();
      opened.push(store);
      return store;
    },
    cleanup: async () => {
      await Promise.all(opened.map((store) => store.close()));
    },
  };
});
