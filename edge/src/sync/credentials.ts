import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { credentials, Metadata, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { CouplerError, errorMessage, type Logger } from '@coupler/kit';
import { gatewayClient, type EnrollResponse__Output } from '@coupler/proto';
import { EdgeErrorCode } from '../errors.js';

export type SyncTlsMode = 'mtls' | 'insecure';

export interface EnrolmentOptions {
  /** host:port of the cloud API port (server TLS) that serves Enroll. */
  url: string;
  /** One-time token from CreateBootstrapToken; only used while the gateway has no certificate. */
  bootstrapToken: string;
  /** PEM file of the fleet CA: the only CA the gateway trusts for the cloud. */
  caFile: string;
  /** The same as PEM text (a balena variable), used when caFile is empty. */
  caPem: string;
}

export interface SyncCredentialOptions {
  tls: SyncTlsMode;
  gatewayId: string;
  /** <dataDir>/identity: gateway.key (0600), gateway.crt, ca.crt. */
  identityDir: string;
  enrolment: EnrolmentOptions;
  enrolTimeoutMs?: number;
}

const ENROL_TIMEOUT_MS = 15_000;

function enrolError(message: string, cause?: unknown): CouplerError {
  return new CouplerError(EdgeErrorCode.syncEnrol, message, { cause });
}

async function readIfThere(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes to a temporary file and renames, so a power cut leaves the old file or the new, never half. */
async function writeAtomic(file: string, text: string, mode: number): Promise<void> {
  const temporary = `${file}.tmp`;
  await writeFile(temporary, text, { mode });
  await chmod(temporary, mode);
  await rename(temporary, file);
}

function callEnroll(options: SyncCredentialOptions, caPem: string, csrPem: string): Promise<EnrollResponse__Output> {
  const service = gatewayClient('coupler.identity.v1.EnrolmentService');
  const client = new service(options.enrolment.url, credentials.createSsl(Buffer.from(caPem)));
  const deadline = Date.now() + (options.enrolTimeoutMs ?? ENROL_TIMEOUT_MS);
  return new Promise<EnrollResponse__Output>((resolve, reject) => {
    client.Enroll(
      { bootstrapToken: options.enrolment.bootstrapToken, csrPem },
      new Metadata(),
      { deadline },
      (err: ServiceError | null, response?: EnrollResponse__Output) => {
        client.close();
        if (err || !response) reject(err ?? new Error('no response'));
        else resolve(response);
      },
    );
  });
}

/**
 * The channel credentials of the sync stream. mTLS: the gateway's certificate from
 * `identityDir`, or, the first time, a new key (never leaves the gateway, mode 0600) and a CSR
 * traded for a certificate through Enroll with the bootstrap token. Insecure: plaintext, for
 * development only.
 */
export async function syncCredentials(options: SyncCredentialOptions, logger: Logger): Promise<ChannelCredentials> {
  if (options.tls === 'insecure') return credentials.createInsecure();
  const keyFile = join(options.identityDir, 'gateway.key');
  const certFile = join(options.identityDir, 'gateway.crt');
  const caFile = join(options.identityDir, 'ca.crt');
  const [keyPem, certPem, caPem] = await Promise.all([readIfThere(keyFile), readIfThere(certFile), readIfThere(caFile)]);
  if (keyPem && certPem && caPem) {
    return credentials.createSsl(Buffer.from(caPem), Buffer.from(keyPem), Buffer.from(certPem));
  }
  const { url, bootstrapToken, caFile: pinnedCaFile, caPem: pinnedCaPem } = options.enrolment;
  if (!url || !bootstrapToken || (!pinnedCaFile && !pinnedCaPem)) {
    throw enrolError(
      `the gateway has no certificate in ${options.identityDir} and cannot enrol: set sync.enrolment.url, ` +
        'sync.enrolment.bootstrapToken and sync.enrolment.caFile or caPem (or sync.tls: insecure for development)',
    );
  }
  let pinnedCa = pinnedCaPem;
  if (pinnedCaFile) {
    try {
      pinnedCa = await readFile(pinnedCaFile, 'utf8');
    } catch (err) {
      throw enrolError(`sync.enrolment.caFile: cannot read ${pinnedCaFile}: ${errorMessage(err)}`, err);
    }
  }
  if (!pinnedCa.includes('-----BEGIN CERTIFICATE-----')) {
    throw enrolError(`sync.enrolment.${pinnedCaFile ? 'caFile' : 'caPem'}: is not a PEM certificate`);
  }
  // Loaded only to enrol: the X.509 library costs a gateway about 20 MiB of memory.
  const { createKeyAndCsr } = await import('@coupler/kit/pki');
  const fresh = await createKeyAndCsr(options.gatewayId);
  let response: EnrollResponse__Output;
  try {
    response = await callEnroll(options, pinnedCa, fresh.csrPem);
  } catch (err) {
    throw enrolError(`enrolment at ${url} failed: ${(err as ServiceError).details || errorMessage(err)}`, err);
  }
  await mkdir(options.identityDir, { recursive: true, mode: 0o700 });
  // The key first: a certificate without its key would be useless after a power cut.
  await writeAtomic(keyFile, fresh.keyPem, 0o600);
  await writeAtomic(caFile, pinnedCa, 0o644);
  await writeAtomic(certFile, response.certificatePem, 0o644);
  logger.info({ gatewayId: response.gatewayId, serial: response.serial, notAfterMs: response.notAfterMs }, 'gateway enrolled');
  return credentials.createSsl(Buffer.from(pinnedCa), Buffer.from(fresh.keyPem), Buffer.from(response.certificatePem));
}
