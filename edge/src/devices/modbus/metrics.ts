import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type PollResult = 'ok' | 'timeout' | 'exception' | 'error';
export type DeviceStatus = 'ok' | 'degraded' | 'offline';

export interface ModbusMetrics {
  requests: Counter<'device' | 'result'>;
  requestDuration: Histogram<'device'>;
  status: Gauge<'device' | 'status'>;
}

/** Device ids come from configuration, so the label set stays bounded. */
export function createModbusMetrics(registry: Registry): ModbusMetrics {
  const registers = [registry];
  return {
    requests: new Counter({ name: 'coupler_modbus_requests_total', help: 'Modbus read requests by device and result (ok, timeout, exception, error).', labelNames: ['device', 'result'] as const, registers }),
    requestDuration: new Histogram({
      name: 'coupler_modbus_request_duration_seconds',
      help: 'Time from sending a Modbus request to its answer.',
      labelNames: ['device'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    status: new Gauge({ name: 'coupler_device_status', help: '1 for the status each device is in (ok, degraded, offline), 0 for the others.', labelNames: ['device', 'status'] as const, registers }),
  };
}
