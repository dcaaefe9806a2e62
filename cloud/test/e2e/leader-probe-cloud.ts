// A cloud process (the same composition root as coupler-cloud, configured from COUPLER_*
// variables) with one probe registered as singleton work: while it runs, it writes a heartbeat
// row (this process's pid, the time) into PROBE_PG_URL every PROBE_INTERVAL_MS. The leader test
// reads those rows to see which process did the singleton work, and when.
import pg from 'pg';
import { createLogger } from '@coupler/kit';
import { loadCloudConfig } from '../../src/config/index.js';
import { createCloud } from '../../src/service.js';

const url = process.env['PROBE_PG_URL'] ?? '';
const intervalMs = Number(process.env['PROBE_INTERVAL_MS'] ?? 100);
const config = loadCloudConfig({ env: process.env });
const cloud = createCloud(config, { logger: createLogger({ name: 'coupler-cloud', level: config.log.level }) });

let client: pg.Client | undefined;
let timer: NodeJS.Timeout | undefined;
cloud.singletons.register('probe', {
  start: async () => {
    client = new pg.Client({ connectionString: url });
    await client.connect();
    const beat = async (): Promise<void> => {
      await client?.query('INSERT INTO leader_probe (pid, at_ms) VALUES ($1, $2)', [process.pid, Date.now()]);
      timer = setTimeout(() => void beat(), intervalMs);
    };
    await beat();
  },
  stop: async () => {
    clearTimeout(timer);
    await client?.end();
    client = undefined;
  },
});
await cloud.start();
