import type { ServiceDefinition } from '@grpc/grpc-js';
import { plainRecordBatchMessage, readPlainRecordBatchRequest, type SyncRequest__Output } from '@coupler/proto';

/**
 * SyncService with its requests deserialised as protobufjs does, except a batch of plain
 * records, whose records are read from the bytes into column groups (docs/decisions/0022):
 * protobufjs makes several objects per record and per value, and while a stream's batches wait
 * for the store they survive young-generation collections and are copied and promoted, which
 * doubled the cloud's CPU per record in some drains. Anything the byte reader does not take
 * goes to protobufjs whole, so malformed messages fail as before.
 */
export function syncServiceReadingPlainBatches(service: ServiceDefinition): ServiceDefinition {
  const sync = service.Sync;
  if (!sync) throw new Error('SyncService has no Sync method');
  const protobufjs = sync.requestDeserialize as (bytes: Buffer) => SyncRequest__Output;
  const requestDeserialize = (bytes: Buffer): SyncRequest__Output => {
    const plain = readPlainRecordBatchRequest(bytes);
    if (!plain) return protobufjs(bytes);
    return { batch: plainRecordBatchMessage(plain, () => protobufjs(bytes).batch?.records ?? []), message: 'batch' };
  };
  return { ...service, Sync: { ...sync, requestDeserialize } };
}
