import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OPENSSL = '/usr/bin/openssl';

function openssl(args: string[], cwd: string): void {
  execFileSync(OPENSSL, args, { cwd, stdio: 'pipe', timeout: 20_000 });
}

function ca(dir: string, name: string): void {
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.pem`], dir);
}

function signed(dir: string, caName: string, name: string, commonName: string, extensions: string): void {
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${commonName}`, '-keyout', `${name}.key`, '-out', `${name}.csr`], dir);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${caName}.pem`, '-CAkey', `${caName}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`], dir);
}

export interface TestPki {
  dir: string;
  /** Server side: signed by the server CA for 127.0.0.1 and localhost. */
  serverCa: string;
  serverCert: string;
  serverKey: string;
  /** The CA the gateway trusts for client certificates. */
  clientCa: string;
  /** A client certificate for `clientName`, from the trusted client CA. */
  clientCert: string;
  clientKey: string;
  /** A client certificate with the same name from a CA the gateway does not trust. */
  rogueCert: string;
  rogueKey: string;
}

/** A throwaway PKI made with Debian's openssl: server CA, client CA, and a rogue CA. */
export function makeTestPki(dir: string, clientName: string): TestPki {
  for (const name of ['server-ca', 'client-ca', 'rogue-ca']) ca(dir, name);
  signed(dir, 'server-ca', 'server', 'coupler-edge', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  signed(dir, 'client-ca', 'client', clientName, 'extendedKeyUsage=clientAuth\n');
  signed(dir, 'rogue-ca', 'rogue', clientName, 'extendedKeyUsage=clientAuth\n');
  const file = (name: string) => join(dir, name);
  return {
    dir,
    serverCa: file('server-ca.pem'),
    serverCert: file('server.pem'),
    serverKey: file('server.key'),
    clientCa: file('client-ca.pem'),
    clientCert: file('client.pem'),
    clientKey: file('client.key'),
    rogueCert: file('rogue.pem'),
    rogueKey: file('rogue.key'),
  };
}
