#!/usr/bin/env node
// A plain aedes broker on 127.0.0.1:<port>: no authentication, no persistence, no LMDB; the
// peer that shows what the MQTT library alone costs in memory under the same load as the edge.
//   aedes-broker --port 18850
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { Aedes } from 'aedes';

const { values } = parseArgs({ options: { port: { type: 'string', default: '18850' } } });
const broker = await Aedes.createBroker();
const server = createServer((socket) => broker.handle(socket));
server.listen(Number(values.port), '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  broker.close(() => process.exit(0));
});
