import { connectAsync, type MqttClient } from 'mqtt';

/**
 * MQTT devices publishing numbered QoS 1 messages to the edge. Each message is published
 * once and never resent, so a copy in the cloud can only come from the gateway: `acked`
 * holds those whose PUBACK arrived, `sent` every one that was handed to the socket.
 */
export class Publishers {
  readonly sent = new Set<string>();
  readonly acked = new Set<string>();
  private clients: MqttClient[] = [];
  private isRunning = false;
  private readonly loops: Promise<void>[] = [];
  private next = new Map<string, number>();

  constructor(
    private readonly deviceIds: readonly string[],
    private readonly intervalMs: number,
    /** Each device's password; its user name is its id. */
    private readonly passwordOf: (deviceId: string) => string,
  ) {}

  /** Connects every device and starts publishing; resolves once all are connected. */
  async start(port: number): Promise<void> {
    this.clients = await Promise.all(
      this.deviceIds.map((id) =>
        connectAsync(`mqtt://127.0.0.1:${port}`, {
          clientId: id,
          username: id,
          password: this.passwordOf(id),
          reconnectPeriod: 0,
          connectTimeout: 5000,
          clean: true,
        }),
      ),
    );
    this.isRunning = true;
    this.clients.forEach((client, i) =>
      this.loops.push(this.publishLoop(client, this.deviceIds[i] ?? '')),
    );
  }

  /** Stops publishing and drops the connections without waiting for anything in flight. */
  async stop(): Promise<void> {
    this.isRunning = false;
    await Promise.all(this.clients.map((client) => client.endAsync(true).catch(() => undefined)));
    await Promise.all(this.loops.splice(0));
    this.clients = [];
  }

  private async publishLoop(client: MqttClient, deviceId: string): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    while (this.isRunning && client.connected) {
      const n = (this.next.get(deviceId) ?? 0) + 1;
      this.next.set(deviceId, n);
      const key = `${deviceId}#${n}`;
      this.sent.add(key);
      const publish = client
        .publishAsync(
          `coupler/v1/devices/${deviceId}/telemetry`,
          JSON.stringify({ values: [{ name: 'n', value: n }] }),
          { qos: 1 },
        )
        .then(
          () => {
            this.acked.add(key);
          },
          () => {
            // No PUBACK: the message may or may not have reached the buffer; never resent.
          },
        )
        .finally(() => inFlight.delete(publish));
      inFlight.add(publish);
      if (inFlight.size >= 10) await Promise.race(inFlight);
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
    }
    await Promise.allSettled(inFlight);
  }
}
