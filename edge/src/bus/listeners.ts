import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';

export interface TlsListenerOptions {
  host: string;
  port: number;
  /** PEM: the server certificate (and its chain) and its private key. */
  cert: Buffer;
  key: Buffer;
  /** PEM: CAs whose client certificates log a client in as the user they name. */
  clientCa?: Buffer | undefined;
}

/** A connection the broker should take; `certifiedName` is the CN of a verified client certificate. */
export type AcceptSocket = (socket: Socket, certifiedName?: string) => void;

export function plainListener(accept: AcceptSocket): Server {
  return createTcpServer((socket) => {
    accept(socket);
  });
}

/**
 * MQTT over TLS. A client certificate is asked for only when client CAs are configured, and a
 * missing or unverified one does not end the handshake: that client still logs in with a user
 * name and password, as on the plain listener.
 */
export function tlsListener(options: TlsListenerOptions, accept: AcceptSocket, onHandshakeError: (err: Error, remoteAddress?: string) => void): Server {
  const hasClientCa = options.clientCa !== undefined;
  const server = createTlsServer({ cert: options.cert, key: options.key, ca: options.clientCa, requestCert: hasClientCa, rejectUnauthorized: false, minVersion: 'TLSv1.2' }, (socket: TLSSocket) => {
    accept(socket, hasClientCa && socket.authorized ? commonName(socket) : undefined);
  });
  server.on('tlsClientError', (err, socket) => {
    onHandshakeError(err, socket.remoteAddress);
  });
  return server;
}

function commonName(socket: TLSSocket): string | undefined {
  const subject = socket.getPeerCertificate().subject as Record<string, string | string[]> | undefined;
  const cn = subject?.['CN'];
  return typeof cn === 'string' && cn.length > 0 ? cn : undefined;
}

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Stops accepting; resolves once every connection of the server has ended. */
export function closed(server: Server | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (server) server.close(() => { resolve(); });
    else resolve();
  });
}

export function boundPort(server: Server | undefined): number {
  return (server?.address() as AddressInfo | null)?.port ?? 0;
}
