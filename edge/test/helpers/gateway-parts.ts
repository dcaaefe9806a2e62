import { onTestFinished } from 'vitest';
import { connectAsync, type MqttClient } from 'mqtt';
import { createLogger, type Logger } from '@coupler/kit';
import { Registry } from 'prom-client';
import { passwordOf } from './security.js';

export function silentLogger(): Logger {
  return createLogger({ name: 'test', level: 'silent' });
}

export function testRegistry(): Registry {
  return new Registry();
}

/**
 * A real MQTT client on loopback, closed when the test finishes. It logs in as user `clientId`
 * with the test password (helpers/security.ts) unless `credentials` says otherwise (null: none).
 */
export async function mqttClient(port: number, clientId: string, credentials: { username: string; password: string } | null = { username: clientId, password: passwordOf(clientId) }): Promise<MqttClient> {
  const client = await connectAsync(`mqtt://127.0.0.1:${port}`, { clientId, reconnectPeriod: 0, connectTimeout: 5000, ...(credentials ?? {}) });
  onTestFinished(async () => {
    await client.endAsync(true);
  });
  return client;
}
