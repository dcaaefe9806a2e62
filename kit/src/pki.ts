// @peculiar/x509 resolves its ASN.1 parsers through tsyringe, which needs the Reflect metadata
// polyfill loaded first (docs/decisions/0080).
import 'reflect-metadata';
import { randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** ECDSA P-256 with SHA-256: small keys and signatures, fast on a Raspberry Pi, in every TLS stack. */
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
// Clocks of gateways that just booted may be behind; a certificate valid from a little earlier
// is not refused for a few minutes of skew.
const BACKDATE_MS = 5 * 60_000;

export interface KeyAndCertificate {
  keyPem: string;
  certPem: string;
}

export interface CsrInfo {
  commonName: string;
  publicKey: x509.PublicKey;
}

function newKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importKeyPem(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, false, ['sign']);
}

/** A random positive serial number of 16 bytes, as hex (RFC 5280 §4.1.2.2: at most 20 bytes). */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

/** A self-signed CA that may sign end-entity certificates only (path length 0). */
export async function createCertificateAuthority(options: {
  commonName: string;
  validDays: number;
  nowMs?: number;
}): Promise<KeyAndCertificate> {
  const keys = await newKeys();
  const nowMs = options.nowMs ?? Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialHex(),
    name: [{ CN: [options.commonName] }],
    notBefore: new Date(nowMs - BACKDATE_MS),
    notAfter: new Date(nowMs + options.validDays * DAY_MS),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { keyPem: await exportKeyPem(keys.privateKey), certPem: cert.toString('pem') };
}

/** A new private key and a PKCS #10 request for it; the key stays with the caller. */
export async function createKeyAndCsr(commonName: string): Promise<{ keyPem: string; csrPem: string }> {
  const keys = await newKeys();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [commonName] }],
    keys,
    signingAlgorithm: ALGORITHM,
  });
  return { keyPem: await exportKeyPem(keys.privateKey), csrPem: csr.toString('pem') };
}

/**
 * Parses a PEM certificate request and checks its self-signature (proof that the requester
 * holds the private key). Throws an Error whose message says what is wrong.
 */
export async function readCsr(csrPem: string): Promise<CsrInfo> {
  if (!csrPem.includes('-----BEGIN CERTIFICATE REQUEST-----')) {
    throw new Error('is not a PEM certificate request (no "BEGIN CERTIFICATE REQUEST" line)');
  }
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch {
    throw new Error('cannot be parsed as a PKCS #10 certificate request');
  }
  let isValid: boolean;
  try {
    isValid = await csr.verify();
  } catch {
    isValid = false;
  }
  if (!isValid) throw new Error('has a signature that does not match its public key');
  const commonNames = csr.subjectName.getField('CN');
  if (commonNames.length !== 1 || commonNames[0] === undefined) {
    throw new Error(`must have exactly one subject common name (got ${commonNames.length})`);
  }
  return { commonName: commonNames[0], publicKey: csr.publicKey };
}

export interface IssueOptions {
  ca: KeyAndCertificate;
  commonName: string;
  publicKey: x509.PublicKey;
  serialHex: string;
  validDays: number;
  /** client: TLS client authentication (gateways); server: TLS server (the cloud) with altNames. */
  usage: 'client' | 'server';
  /** DNS names and IP addresses for a server certificate. */
  altNames?: readonly string[];
  nowMs?: number;
}

const IP_PATTERN = /^(\d{1,3}\.){3}\d{1,3}$|:/;

/** An end-entity certificate signed by the CA. */
export async function issueCertificate(options: IssueOptions): Promise<{ certPem: string; notAfterMs: number }> {
  const caCert = new x509.X509Certificate(options.ca.certPem);
  const signingKey = await importKeyPem(options.ca.keyPem);
  const nowMs = options.nowMs ?? Date.now();
  const notAfter = new Date(nowMs + options.validDays * DAY_MS);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, true),
    new x509.ExtendedKeyUsageExtension([
      options.usage === 'client' ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth,
    ]),
    await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
  ];
  if (options.altNames && options.altNames.length > 0) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        options.altNames.map((name) => (IP_PATTERN.test(name) ? { type: 'ip' as const, value: name } : { type: 'dns' as const, value: name })),
      ),
    );
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: options.serialHex,
    subject: [{ CN: [options.commonName] }],
    issuer: caCert.subject,
    notBefore: new Date(nowMs - BACKDATE_MS),
    notAfter,
    signingKey,
    publicKey: options.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions,
  });
  return { certPem: cert.toString('pem'), notAfterMs: notAfter.getTime() };
}

/** The subject common name and serial (lower-case hex, no leading zeros) of a PEM or DER certificate. */
export function certificateIdentity(cert: string | Buffer): { commonName: string; serialHex: string; notAfterMs: number } {
  const parsed = new X509Certificate(cert);
  const commonName = /(?:^|\n)CN=([^\n]*)/.exec(parsed.subject)?.[1] ?? '';
  return { commonName, serialHex: normaliseSerial(parsed.serialNumber), notAfterMs: Date.parse(parsed.validTo) };
}

/** Serials compare as numbers: drop leading zeros and case, as Node and @peculiar/x509 print them differently. */
export function normaliseSerial(serialHex: string): string {
  return serialHex.toLowerCase().replace(/^0+(?=.)/, '');
}
