import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CouplerError, errorMessage } from '@coupler/kit';
import {
  createCertificateAuthority,
  createKeyAndCsr,
  issueCertificate,
  randomSerialHex,
  readCsr,
  type KeyAndCertificate,
} from '@coupler/kit/pki';
import { CloudErrorCode } from '../errors.js';

export interface FleetCaOptions {
  /** <dataDir>/identity: where a generated CA and server certificate are kept. */
  dir: string;
  caCertFile: string;
  caKeyFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  serverNames: readonly string[];
}

export interface FleetTls {
  ca: KeyAndCertificate;
  server: KeyAndCertificate;
}

const CA_VALID_DAYS = 20 * 365;
const SERVER_VALID_DAYS = 2 * 365;

function filesError(file: string, reason: string, cause?: unknown): CouplerError {
  return new CouplerError(CloudErrorCode.identityFiles, `${file}: ${reason}`, {
    cause,
    details: { file },
  });
}

async function readPem(file: string, kind: 'certificate' | 'private key'): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw filesError(file, `cannot read it: ${errorMessage(err)}`, err);
  }
  // "BEGIN PRIVATE KEY" (PKCS #8) or "BEGIN EC PRIVATE KEY" / "BEGIN RSA PRIVATE KEY" (openssl).
  const marker =
    kind === 'certificate' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
  if (!marker.test(text)) throw filesError(file, `is not a PEM ${kind}`);
  return text;
}

/** Reads both files of a pair, or undefined when neither exists; half a pair is an error. */
async function readPair(certFile: string, keyFile: string): Promise<KeyAndCertificate | undefined> {
  const exists = async (file: string): Promise<boolean> =>
    readFile(file).then(
      () => true,
      () => false,
    );
  const [hasCert, hasKey] = await Promise.all([exists(certFile), exists(keyFile)]);
  if (!hasCert && !hasKey) return undefined;
  if (!hasKey) throw filesError(keyFile, `is missing, but its certificate ${certFile} exists`);
  if (!hasCert) throw filesError(certFile, `is missing, but its key ${keyFile} exists`);
  return {
    certPem: await readPem(certFile, 'certificate'),
    keyPem: await readPem(keyFile, 'private key'),
  };
}

async function writePair(
  pair: KeyAndCertificate,
  certFile: string,
  keyFile: string,
): Promise<void> {
  try {
    // The key is written 0600 from the start: it is never readable by others, not even briefly.
    await writeFile(keyFile, pair.keyPem, { mode: 0o600, flag: 'wx' });
    await chmod(keyFile, 0o600);
    await writeFile(certFile, pair.certPem, { mode: 0o644, flag: 'wx' });
  } catch (err) {
    throw filesError(keyFile, `cannot write it: ${errorMessage(err)}`, err);
  }
}

/**
 * The fleet CA and the cloud's server certificate: from the configured files, or created on
 * first start in `dir` (the CA key 0600) and read again on every start after.
 */
export async function loadFleetTls(options: FleetCaOptions): Promise<FleetTls> {
  try {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw filesError(options.dir, `cannot create the folder: ${errorMessage(err)}`, err);
  }
  const caCertFile = options.caCertFile || join(options.dir, 'ca.crt');
  const caKeyFile = options.caKeyFile || join(options.dir, 'ca.key');
  let ca = await readPair(caCertFile, caKeyFile);
  if (!ca) {
    if (options.caCertFile || options.caKeyFile) {
      throw filesError(options.caCertFile || options.caKeyFile, 'is configured but does not exist');
    }
    ca = await createCertificateAuthority({
      commonName: 'Coupler fleet CA',
      validDays: CA_VALID_DAYS,
    });
    await writePair(ca, caCertFile, caKeyFile);
  }
  const serverCertFile = options.serverCertFile || join(options.dir, 'server.crt');
  const serverKeyFile = options.serverKeyFile || join(options.dir, 'server.key');
  let server = await readPair(serverCertFile, serverKeyFile);
  if (!server) {
    if (options.serverCertFile || options.serverKeyFile) {
      throw filesError(
        options.serverCertFile || options.serverKeyFile,
        'is configured but does not exist',
      );
    }
    const [commonName = 'localhost'] = options.serverNames;
    const { keyPem, csrPem } = await createKeyAndCsr(commonName);
    const { publicKey } = await readCsr(csrPem);
    const { certPem } = await issueCertificate({
      ca,
      commonName,
      publicKey,
      serialHex: randomSerialHex(),
      validDays: SERVER_VALID_DAYS,
      usage: 'server',
      altNames: options.serverNames,
    });
    server = { keyPem, certPem };
    await writePair(server, serverCertFile, serverKeyFile);
  }
  return { ca, server };
}
