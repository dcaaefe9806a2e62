import { Metadata, Server, ServerCredentials, status, type ServerDuplexStream } from '@grpc/grpc-js';
import { loadCouplerProto, type SyncRequest__Output, type SyncResponse, type WireRecord__Output } from '@coupler/proto';
import { onTestFinished } from 'vitest';

export type StreamCall = ServerDuplexStream<SyncRequest__Output, SyncResponse>;

export interface ScriptedSyncServer {
  address: string;
  /** Every record received, resends included, in arrival order. */
  received: WireRecord__Output[];
  /** Records kept once per sequence, as the cloud does. */
  stored: Map<number, WireRecord__Output>;
  hellos: SyncRequest__Output['hello'][];
  backlogReports: NonNullable<SyncRequest__Output['backlog']>[];
  /** Lane of each batch, in arrival order. */
  batchLanes: string[];
  streams: number;
  close(): Promise<void>;
}

/**
 * A real gRPC server on 127.0.0.1 speaking coupler.sync.v1, whose behaviour each test
 * scripts through `onBatch`: acknowledge, withhold the acknowledgement, or cut the stream.
 * It stands in for the cloud service only where a test needs the cloud to misbehave.
 */
export interface HeldElsewhere {
  /** Sequences the cloud holds with other records (from before the gateway's buffer went back). */
  sequences: ReadonlySet<number>;
  /** Its highest held sequence, sent in the welcome after hello and in every ack. */
  highestStoredSequence: number;
}

export async function startScriptedSyncServer(
  onBatch: (call: StreamCall, batch: NonNullable<SyncRequest__Output['batch']>, streamNumber: number) => 'ack' | 'hold' | 'cut' = () => 'ack',
  /** Absent: a cloud of before decision 0009 (no welcome; every sequence acknowledged as stored). */
  heldElsewhere?: HeldElsewhere,
): Promise<ScriptedSyncServer> {
  const { sync } = loadCouplerProto();
  const server = new Server();
  const state: ScriptedSyncServer = {
    address: '',
    received: [],
    stored: new Map(),
    hellos: [],
    backlogReports: [],
    batchLanes: [],
    streams: 0,
    close: () => new Promise<void>((resolve) => { server.tryShutdown(() => { resolve(); }); }),
  };
  server.addService(sync.SyncService.service, {
    Sync(call: StreamCall) {
      const streamNumber = ++state.streams;
      call.sendMetadata(new Metadata());
      call.on('data', (request: SyncRequest__Output) => {
        if (request.hello) state.hellos.push(request.hello);
        if (request.hello && heldElsewhere) call.write({ welcome: { highestStoredSequence: heldElsewhere.highestStoredSequence } });
        if (request.backlog) state.backlogReports.push(request.backlog);
        const batch = request.batch;
        if (!batch) return;
        const action = onBatch(call, batch, streamNumber);
        if (action === 'cut') {
          // grpc-js sends an 'error' emitted on a server call as the stream's final status.
          call.emit('error', { code: status.UNAVAILABLE, details: 'link cut by the test' });
          return;
        }
        state.received.push(...batch.records);
        state.batchLanes.push(batch.records[0]?.lane ?? '');
        const collides = (sequence: number) => heldElsewhere?.sequences.has(sequence) === true;
        for (const record of batch.records) if (!collides(record.sequence)) state.stored.set(record.sequence, record);
        if (action === 'ack') {
          const sequences = batch.records.map((r) => r.sequence);
          if (!heldElsewhere) {
            call.write({ ack: { batchId: batch.batchId, stored: [{ first: Math.min(...sequences), last: Math.max(...sequences) }] } });
            return;
          }
          const ranges = (list: number[]) => list.map((sequence) => ({ first: sequence, last: sequence }));
          call.write({
            ack: {
              batchId: batch.batchId,
              stored: ranges(sequences.filter((sequence) => !collides(sequence))),
              conflicting: ranges(sequences.filter(collides)),
              highestStoredSequence: Math.max(heldElsewhere.highestStoredSequence, ...sequences),
            },
          });
        }
      });
      call.on('end', () => call.end());
      call.on('error', () => {
        // The client cancelling its stream is part of the tests.
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => {
      if (err) reject(err);
      else resolve(bound);
    });
  });
  state.address = `127.0.0.1:${port}`;
  onTestFinished(() => {
    server.forceShutdown();
  });
  return state;
}
