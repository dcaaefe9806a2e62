import { credentials, Metadata, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { createKeyAndCsr } from '@coupler/kit/pki';
import { loadCouplerProto, type DesiredState__Output, type SyncRequest, type SyncResponse__Output } from '@coupler/proto';

/** What a stand-in reports for one pushed firmware item: the outcome and why. */
export type Answer = (target: { version: string; rolloutId: string }) => { outcome: string; reason: string };

/**
 * A gateway reduced to its sync stream: enrolled with a bootstrap token (so the cloud's mTLS
 * port admits it), it answers every desired state the cloud pushes with a DesiredStateReport
 * of one item per firmware entry, as the edge's OTA does once it has finished.
 */
export class StandInGateway {
  /** Every desired state pushed to it, oldest first. */
  readonly received: DesiredState__Output[] = [];
  private stream: ClientDuplexStream<SyncRequest, SyncResponse__Output> | undefined;
  private close: (() => void) | undefined;

  constructor(
    readonly gatewayId: string,
    private readonly answer: Answer,
  ) {}

  /** Enrols with `bootstrapToken` on the API port, then opens the sync stream and says hello. */
  async connect(options: { apiAddress: string; syncAddress: string; caPem: Buffer; bootstrapToken: string }): Promise<void> {
    const proto = loadCouplerProto();
    const { keyPem, csrPem } = await createKeyAndCsr(this.gatewayId);
    const enrolment = new proto.identity.EnrolmentService(options.apiAddress, credentials.createSsl(options.caPem));
    const certificatePem = await new Promise<string>((resolve, reject) => {
      enrolment.enroll({ bootstrapToken: options.bootstrapToken, csrPem }, new Metadata(), { deadline: Date.now() + 10_000 }, (err: ServiceError | null, response) => {
        if (err || !response) reject(err ?? new Error('no enrolment answer'));
        else resolve(response.certificatePem);
      });
    });
    enrolment.close();
    const sync = new proto.sync.SyncService(options.syncAddress, credentials.createSsl(options.caPem, Buffer.from(keyPem), Buffer.from(certificatePem)));
    const stream = sync.Sync();
    stream.on('data', (response: SyncResponse__Output) => {
      if (response.desired) this.reply(response.desired);
    });
    stream.on('error', () => undefined); // ended by close() or the cloud stopping
    stream.write({ hello: { gatewayId: this.gatewayId, softwareVersion: 'stand-in', firstUnacknowledgedSequence: 0 } });
    this.stream = stream;
    this.close = () => {
      stream.cancel();
      sync.close();
    };
  }

  /** The firmware version and rollout the latest pushed state names for every Arduino. */
  latest(): { version: string; rolloutId: string } | undefined {
    const item = this.received.at(-1)?.firmware.find((f) => f.deviceId === '');
    return item?.artifact?.artifact ? { version: item.artifact.artifact.version, rolloutId: item.artifact.rolloutId } : undefined;
  }

  stop(): void {
    this.close?.();
  }

  private reply(desired: DesiredState__Output): void {
    this.received.push(desired);
    const items = desired.firmware.flatMap(({ deviceId, artifact }) => {
      const manifest = artifact?.artifact;
      if (!manifest) return [];
      const { outcome, reason } = this.answer({ version: manifest.version, rolloutId: artifact.rolloutId });
      return [{ kind: 'firmware', deviceId, targetVersion: manifest.version, targetSha256: manifest.sha256, rolloutId: artifact.rolloutId, outcome, step: 'await_hello', reason, updatedMs: Date.now() }];
    });
    this.stream?.write({ applied: { revision: desired.revision, items } });
  }
}
