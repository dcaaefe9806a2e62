import { createServer, type AddressInfo } from 'node:net';

/**
 * A TCP port that was free a moment ago on 127.0.0.1. Only for servers that cannot bind port 0
 * themselves (modbus-serial's ServerTCP turns 0 into 502).
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  return port;
}
