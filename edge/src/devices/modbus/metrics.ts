import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ReadFailure } from './transport.js';

export type RequestResult = 'ok' | ReadFailure;
export type DeviceStatus = 'ok' | 'degraded' | 'offline';
export const DEVICE_STATUSES: readonly DeviceStatus[] = ['ok', 'degraded', 'offline'];

export interface ModbusMetrics {
  requests: Counter<'device' | 'result'>;
  requestDuration: Histogram<'device'>;
  /** A state set: 1 for the status a device is in, 0 for the other two. */
  status: Gauge<'device' | 'status'>;
  publishFailures: Counter<'device'>;
  retries: Counter<'device'>;
  busOpen: Gauge<'bus'>;
  busOpens: Counter<'bus'>;
}

/** On the registry passed in, never the global one. Device ids come from configuration, so labels stay bounded. */
export function createModbusMetrics(registry: Registry): ModbusMetrics {
  const registers = [registry];
  return {
    requests: new Counter({
      name: 'coupler_modbus_requests_total',
      help: 'Modbus read requests by device and result (ok, timeout, exception, crc, error).',
      labelNames: ['device', 'result'] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: 'coupler_modbus_request_duration_seconds',
      help: 'Time from sending a Modbus read request to its answer, answered requests only.',
      labelNames: ['device'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    status: new Gauge({
      name: 'coupler_device_status',
      help: '1 for the status each device is in (ok, degraded, offline), 0 for the others.',
      labelNames: ['device', 'status'] as const,
      registers,
    }),
    publishFailures: new Counter({
      name: 'coupler_modbus_publish_failures_total',
      help: 'Readings taken from a device that the bus refused.',
      labelNames: ['device'] as const,
      registers,
    }),
    retries: new Counter({
      name: 'coupler_modbus_retries_total',
      help: 'Failed Modbus requests sent again within the device retry limit.',
      labelNames: ['device'] as const,
      registers,
    }),
    busOpen: new Gauge({
      name: 'coupler_modbus_bus_open',
      help: '1 while the serial port of a Modbus RTU bus is open, else 0.',
      labelNames: ['bus'] as const,
      registers,
    }),
    busOpens: new Counter({
      name: 'coupler_modbus_bus_opens_total',
      help: 'Times the serial port of a Modbus RTU bus was opened (the first open and every reopen after it disappeared).',
      labelNames: ['bus'] as const,
      registers,
    }),
  };
}
