import type { Aedes, Client, Subscription } from 'aedes';

/** The part of aedes' mqemitter (`broker.mq`, an aedes option) every subscription goes through. */
interface Emitter {
  on(topic: string, notify: unknown, done?: () => void): unknown;
  removeListener(topic: string, notify: unknown, done?: () => void): unknown;
  removeAllListeners(topic: string, done?: () => void): unknown;
}

const CACHE_LIMIT = 4096;

/**
 * Whether anyone on the gateway would receive a message on a topic: a connected client's or the
 * gateway's own subscription (every one is registered on aedes' emitter, which this watches), or
 * the QoS > 0 subscription of a persistent session, which aedes keeps for the client while it is
 * away. Those are remembered from the SUBSCRIBE on and never forgotten: a message that nobody
 * takes in the end costs one needless local publish, never a lost one. The answer for a topic is
 * kept until the subscriptions change. The fast ingest path skips aedes' publish when it is no.
 */
export class LocalSubscribers {
  private readonly filters = new Map<string, number>();
  private readonly persistentFilters = new Set<string>();
  private readonly answers = new Map<string, boolean>();

  constructor(broker: Aedes) {
    const mq = (broker as unknown as { mq: Emitter }).mq;
    const on = mq.on.bind(mq);
    const removeListener = mq.removeListener.bind(mq);
    const removeAllListeners = mq.removeAllListeners.bind(mq);
    mq.on = (topic, notify, done) => {
      this.change(topic, 1);
      return on(topic, notify, done);
    };
    // mqemitter removes a listener on the next turn; it delivers to it until then, so do we.
    mq.removeListener = (topic, notify, done) =>
      removeListener(topic, notify, () => {
        this.change(topic, -1);
        done?.();
      });
    mq.removeAllListeners = (topic, done) => {
      this.change(topic, -(this.filters.get(topic) ?? 0));
      return removeAllListeners(topic, done);
    };
    broker.on('subscribe', (subscriptions: Subscription[], client: Client) => {
      if (client.clean) return;
      for (const { topic, qos } of subscriptions) {
        if (qos > 0 && !this.persistentFilters.has(topic)) {
          this.persistentFilters.add(topic);
          this.answers.clear();
        }
      }
    });
  }

  has(topic: string): boolean {
    let answer = this.answers.get(topic);
    if (answer === undefined) {
      if (this.answers.size >= CACHE_LIMIT) this.answers.clear();
      answer = this.anyMatches(topic, this.filters.keys()) || this.anyMatches(topic, this.persistentFilters);
      this.answers.set(topic, answer);
    }
    return answer;
  }

  private change(filter: string, by: number): void {
    const count = (this.filters.get(filter) ?? 0) + by;
    if (count > 0) this.filters.set(filter, count);
    else this.filters.delete(filter);
    this.answers.clear();
  }

  private anyMatches(topic: string, filters: Iterable<string>): boolean {
    for (const filter of filters) if (filterMatches(filter, topic)) return true;
    return false;
  }
}

/** MQTT 3.1.1 §4.7: does `filter` match `topic`? `#` takes its parent level too; a leading wildcard never takes a `$` topic. */
export function filterMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const wanted = filter.split('/');
  const levels = topic.split('/');
  for (let i = 0; i < wanted.length; i++) {
    const level = wanted[i];
    if (level === '#') return true;
    if (i >= levels.length) return false;
    if (level !== '+' && level !== levels[i]) return false;
  }
  return wanted.length === levels.length;
}
