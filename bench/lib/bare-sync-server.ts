#!/usr/bin/env node
// The peer of the drain benchmark: a bare coupler.sync.v1 server that decodes each batch (plain
// records or columns, as the cloud does) and acknowledges it at once, storing nothing. Prints "listening <port>", stops on SIGTERM.
import { Server, ServerCredentials, type ServerDuplexStream } from '@grpc/grpc-js';
import { decodeColumns, loadCouplerProto, type SyncRequest__Output, type SyncResponse } from '@coupler/proto';

const { sync } = loadCouplerProto();
// The cloud's grpc.maxBatchRecords ceiling.
const MAX_BATCH_RECORDS = 100_000;
const server = new Server({ 'grpc.max_receive_message_length': 16 * 1024 * 1024 });
server.addService(sync.SyncService.service, {
  Sync(call: ServerDuplexStream<SyncRequest__Output, SyncResponse>) {
    call.on('data', (request: SyncRequest__Output) => {
      const batch = request.batch;
      if (!batch) return;
      const records = batch.encoding === 'BATCH_ENCODING_COLUMNS_V1' ? decodeColumns(batch.columns, MAX_BATCH_RECORDS) : batch.records;
      const first = records[0]?.sequence ?? 0;
      const last = records[records.length - 1]?.sequence ?? 0;
      call.write({ ack: { batchId: batch.batchId, stored: [{ first, last }] } });
    });
    call.on('end', () => {
      call.end();
    });
  },
});
const port = await new Promise<number>((resolve, reject) => {
  server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => {
    if (err) reject(err);
    else resolve(bound);
  });
});
console.log(`listening ${port}`);
process.on('SIGTERM', () => {
  server.forceShutdown();
  process.exit(0);
});
