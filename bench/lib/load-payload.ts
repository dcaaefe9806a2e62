/**
 * The reading both MQTT load generators send, about 200 bytes of JSON the gateway accepts:
 * three SDM-style values and a timestamp.
 */
export function loadPayload(n: number, timestampMs: number): string {
  return JSON.stringify({
    timestampMs,
    quality: 'good',
    values: [
      { name: 'voltageL1', value: 230 + (n % 100) / 100, unit: 'V' },
      { name: 'currentL1', value: 12 + (n % 37) / 10, unit: 'A' },
      { name: 'activePowerL1', value: 2700 + (n % 500), unit: 'W' },
    ],
  });
}
