import { CouplerError, errorMessage, verifySecret } from '@coupler/kit';
import { issueCertificate, randomSerialHex, readCsr } from '@coupler/kit/pki';
import { CloudErrorCode } from '../errors.js';
import type { GatewayCredential } from '../records/index.js';
import { parseSecret } from './bearer.js';
import type { FleetTls } from './ca.js';
import type { IdentityRecords } from './ports.js';

export interface EnrolResult {
  gatewayId: string;
  certificatePem: string;
  caCertificatePem: string;
  serialHex: string;
  notAfterMs: number;
}

const MAX_CSR_CHARS = 16_384;

function tokenError(reason: string): CouplerError {
  return new CouplerError(CloudErrorCode.enrolTokenInvalid, `bootstrapToken: ${reason}`);
}

function csrError(reason: string): CouplerError {
  return new CouplerError(CloudErrorCode.enrolCsrInvalid, `csrPem: ${reason}`);
}

/**
 * Trades a one-time bootstrap token and a CSR for a client certificate (SPEC §5 enrolment).
 * The CSR is checked before the token is spent, so a bad request does not burn a token; the
 * token is spent atomically, so two enrolments racing on one token get one certificate.
 */
export async function enrol(
  input: { bootstrapToken: string; csrPem: string },
  deps: { records: IdentityRecords; tls: FleetTls; validDays: number; nowMs: number },
): Promise<EnrolResult> {
  const parsed = parseSecret('cplt', input.bootstrapToken);
  if (!parsed) throw tokenError('is not a bootstrap token (expected cplt.<id>.<secret>)');
  const token = await deps.records.getBootstrapToken(parsed.id);
  if (!token || !(await verifySecret(parsed.secret, token.secretHash))) throw tokenError('is unknown');
  if (token.usedAtMs !== undefined) throw tokenError('was already used; ask for a new one');
  if (token.expiresAtMs <= deps.nowMs) throw tokenError(`expired at ${new Date(token.expiresAtMs).toISOString()}`);
  if (input.csrPem.length > MAX_CSR_CHARS) throw csrError(`is longer than ${MAX_CSR_CHARS} characters`);
  let csr: Awaited<ReturnType<typeof readCsr>>;
  try {
    csr = await readCsr(input.csrPem);
  } catch (err) {
    throw csrError(errorMessage(err));
  }
  if (csr.commonName !== token.gatewayId) {
    throw csrError(
      `subject common name must be the gateway id the token was made for (${token.gatewayId}), got ${JSON.stringify(csr.commonName)}`,
    );
  }
  if (!(await deps.records.spendBootstrapToken(token.tokenId, deps.nowMs))) {
    throw tokenError('was already used; ask for a new one');
  }
  const serialHex = randomSerialHex().replace(/^0+/, '');
  const { certPem, notAfterMs } = await issueCertificate({
    ca: deps.tls.ca,
    commonName: token.gatewayId,
    publicKey: csr.publicKey,
    serialHex,
    validDays: deps.validDays,
    usage: 'client',
    nowMs: deps.nowMs,
  });
  const credential: GatewayCredential = {
    serialHex,
    gatewayId: token.gatewayId,
    issuedAtMs: deps.nowMs,
    notAfterMs,
  };
  await deps.records.putCredential(credential);
  return {
    gatewayId: token.gatewayId,
    certificatePem: certPem,
    caCertificatePem: deps.tls.ca.certPem,
    serialHex,
    notAfterMs,
  };
}
