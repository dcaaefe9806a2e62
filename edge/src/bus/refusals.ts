import { Counter, type Registry } from 'prom-client';
import type { Logger } from '@coupler/kit';

/** Why the bus refused a client or a packet: the label of coupler_edge_bus_refusals_total. */
export type RefusalReason =
  | 'no_credentials'
  | 'bad_credentials'
  | 'acl_publish'
  | 'acl_subscribe'
  | 'acl_will'
  | 'protocol_version'
  | 'malformed_packet'
  | 'packet_too_large'
  | 'inflight_limit'
  | 'connection_rate'
  | 'tls_handshake';

export const REFUSAL_REASONS: readonly RefusalReason[] = ['no_credentials', 'bad_credentials', 'acl_publish', 'acl_subscribe', 'acl_will', 'protocol_version', 'malformed_packet', 'packet_too_large', 'inflight_limit', 'connection_rate', 'tls_handshake'];

export interface RefusalContext {
  clientId?: string | undefined;
  username?: string | undefined;
  remoteAddress?: string | undefined;
  topic?: string | undefined;
  rule?: string | undefined;
}

/** Counts and logs every refusal, once, with who and why; never a password or a payload. */
export class Refusals {
  private readonly counter: Counter<'reason'>;

  constructor(
    registry: Registry,
    private readonly logger: Logger,
  ) {
    this.counter = new Counter({
      name: 'coupler_edge_bus_refusals_total',
      help: 'Clients, subscriptions and packets the local broker refused, by reason.',
      labelNames: ['reason'] as const,
      registers: [registry],
    });
    // Every reason shows from the start at 0, so an alert can use rate() without gaps.
    for (const reason of REFUSAL_REASONS) this.counter.inc({ reason }, 0);
  }

  record(reason: RefusalReason, context: RefusalContext): void {
    this.counter.inc({ reason });
    this.logger.warn({ reason, ...context }, 'mqtt refused');
  }
}
