import { Metadata, Server, ServerCredentials, status, type sendUnaryData, type ServerDuplexStream, type ServerUnaryCall } from '@grpc/grpc-js';
import { decodeColumns, loadCouplerProto, type ArtifactChunk, type BatchEncoding, type ReadChunkRequest__Output, type DesiredState, type DesiredStateReport__Output, type SyncRequest__Output, type SyncResponse, type WireRecord__Output } from '@coupler/proto';
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
  /** Every `applied` (desired-state) report, in arrival order. */
  appliedReports: DesiredStateReport__Output[];
  /** Per stream, the kind of each message in arrival order (`hello`, `backlog`, `applied`, ...). */
  messageKinds: string[][];
  /** Sends a DesiredState on the latest open stream. */
  sendDesired(state: DesiredState): void;
  /** Ends the latest stream with UNAVAILABLE, as a dropped link does. */
  cutLatest(): void;
  /** Lane of each batch, in arrival order. */
  batchLanes: string[];
  /** Encoding of each batch, in arrival order. */
  batchEncodings: string[];
  streams: number;
  /** ReadChunk calls served, as `sha256@offset`. */
  chunkReads: string[];
  close(): Promise<void>;
}

export interface ScriptedSyncServerOptions {
  /**
   * Content served by coupler.ota.v1.ArtifactService/ReadChunk on the same address, by SHA-256
   * (FAKE of the cloud's artifact store: edge tests may not import the cloud); NOT_FOUND otherwise.
   */
  artifacts?: Map<string, Buffer>;
  /** Absent: a cloud of before decision 0009 (no welcome; every sequence acknowledged as stored). */
  heldElsewhere?: HeldElsewhere;
  /** Encodings the welcome lists (a welcome is sent when given). Absent: a cloud of before decision 0010, plain records only. */
  batchEncodings?: BatchEncoding[];
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
  options: ScriptedSyncServerOptions = {},
): Promise<ScriptedSyncServer> {
  const { heldElsewhere, batchEncodings } = options;
  const { sync, ota } = loadCouplerProto();
  const server = new Server();
  let latest: StreamCall | undefined;
  const state: ScriptedSyncServer = {
    address: '',
    received: [],
    stored: new Map(),
    hellos: [],
    backlogReports: [],
    appliedReports: [],
    messageKinds: [],
    sendDesired: (desired) => {
      if (!latest) throw new Error('no sync stream is open');
      latest.write({ desired });
    },
    cutLatest: () => {
      latest?.emit('error', { code: status.UNAVAILABLE, details: 'link cut by the test' });
    },
    batchLanes: [],
    batchEncodings: [],
    streams: 0,
    chunkReads: [],
    close: () => new Promise<void>((resolve) => { server.tryShutdown(() => { resolve(); }); }),
  };
  server.addService(sync.SyncService.service, {
    Sync(call: StreamCall) {
      const streamNumber = ++state.streams;
      latest = call;
      const kinds: string[] = [];
      state.messageKinds.push(kinds);
      call.sendMetadata(new Metadata());
      call.on('data', (request: SyncRequest__Output) => {
        kinds.push(request.message ?? '');
        if (request.hello) state.hellos.push(request.hello);
        if (request.applied) state.appliedReports.push(request.applied);
        if (request.hello && (heldElsewhere || batchEncodings)) call.write({ welcome: { highestStoredSequence: heldElsewhere?.highestStoredSequence ?? 0, batchEncodings: batchEncodings ?? [] } });
        if (request.backlog) state.backlogReports.push(request.backlog);
        const sent = request.batch;
        if (!sent) return;
        // The columns decoded as the cloud decodes them: into the records grpc-js gives for plain ones.
        const batch = sent.encoding === 'BATCH_ENCODING_COLUMNS_V1' ? { ...sent, records: decodeColumns(sent.columns, 100_000) } : sent;
        state.batchEncodings.push(sent.encoding);
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
  const { artifacts } = options;
  if (artifacts) {
    server.addService(ota.ArtifactService.service, {
      ReadChunk: (call: ServerUnaryCall<ReadChunkRequest__Output, ArtifactChunk>, callback: sendUnaryData<ArtifactChunk>) => {
        const { sha256, offset, maxBytes } = call.request;
        state.chunkReads.push(`${sha256}@${offset}`);
        const content = artifacts.get(sha256);
        if (!content) callback({ code: status.NOT_FOUND, details: `no artifact ${sha256}` });
        else callback(null, { offset, data: content.subarray(offset, offset + maxBytes) });
      },
    });
  }
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
