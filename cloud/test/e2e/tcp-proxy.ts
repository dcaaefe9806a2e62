import { createServer, connect, type Server, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

/**
 * A TCP proxy on 127.0.0.1 that the test can cut: every open connection is destroyed at once,
 * as a tunnel or a dead cell does to a train's link. New connections go through again.
 */
export async function startTcpProxy(
  targetPort: number,
): Promise<{
  port: number;
  cut: () => number;
  /** Cuts every connection and refuses new ones until unblock(): the cloud is out of reach. */
  block: () => void;
  unblock: () => void;
  close: () => Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let isBlocked = false;
  const server: Server = createServer((client) => {
    if (isBlocked) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const cut = (): number => {
    const count = sockets.size;
    for (const socket of sockets) socket.destroy();
    return count;
  };
  const close = async (): Promise<void> => {
    cut();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  };
  onTestFinished(close);
  const block = (): void => {
    isBlocked = true;
    cut();
  };
  const unblock = (): void => {
    isBlocked = false;
  };
  return { port, cut, block, unblock, close };
}
