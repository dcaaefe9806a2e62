import type { Socket } from 'node:net';
import type { PublishTaker } from './fast-ingest.js';
import type { GuardViolation, MqttPacketGuard } from './packet-guard.js';

type Read = (size?: number) => unknown;

/**
 * Puts the packet guard between the socket and aedes: aedes takes its input only through
 * `conn.read()` on 'readable' (aedes 1.2 lib/client.js, nextBatch), so every chunk passes the
 * guard there, and a violation closes the connection before aedes sees the offending packet.
 * Writes go to the socket untouched: no second stream layer on every PUBACK (decision 0091).
 * The bad-input suite fails at once if a later aedes reads another way.
 *
 * With a `taker` (the fast ingest path, decision 0014), each chunk that passed goes to it, and
 * aedes gets what it leaves.
 */
export function guardSocket(socket: Socket, guard: MqttPacketGuard, onViolation: (violation: GuardViolation) => void, taker?: PublishTaker): Socket {
  const read = (socket.read as Read).bind(socket);
  const guardedRead: Read = (size) => {
    const chunk = read(size);
    if (!Buffer.isBuffer(chunk)) return chunk;
    const found = guard.feed(chunk);
    if (found) {
      onViolation(found);
      socket.destroy();
      return null;
    }
    return taker ? taker.take(chunk) : chunk;
  };
  Object.defineProperty(socket, 'read', { value: guardedRead, configurable: true, writable: true });
  return socket;
}
