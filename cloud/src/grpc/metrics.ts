import { status } from '@grpc/grpc-js';
import { Counter, type Registry } from 'prom-client';

/** Counts one finished call (a unary call, or a whole sync stream) by method and status code. */
export type RecordCall = (method: string, code: status) => void;

export function createCallCounter(registry: Registry): RecordCall {
  const calls = new Counter({
    name: 'coupler_cloud_grpc_calls_total',
    help: 'gRPC calls the cloud finished, by method and status code (a sync stream counts once, when it ends).',
    labelNames: ['method', 'code'] as const,
    registers: [registry],
  });
  return (method, code) => {
    calls.inc({ method, code: status[code] });
  };
}
