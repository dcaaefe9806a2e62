import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import type { GuardViolation, MqttPacketGuard } from './packet-guard.js';

/**
 * The stream aedes reads and writes instead of the socket: every chunk passes the packet guard
 * first, and a violation closes the connection before aedes sees the offending packet.
 */
export class GuardedSocket extends Duplex {
  readonly remoteAddress: string | undefined;

  constructor(
    private readonly socket: Socket,
    guard: MqttPacketGuard,
    onViolation: (violation: GuardViolation) => void,
  ) {
    super({ allowHalfOpen: false });
    this.remoteAddress = socket.remoteAddress;
    socket.on('data', (chunk: Buffer) => {
      if (this.destroyed) return;
      const found = guard.feed(chunk);
      if (found) {
        onViolation(found);
        this.destroy();
        return;
      }
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (err) => this.destroy(err));
    socket.on('close', () => this.destroy());
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, encoding, callback);
  }

  /** aedes corks the stream around each packet it writes: one packet, one write to the socket. */
  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.socket.write(Buffer.concat(chunks.map(({ chunk }) => chunk)), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}
