import { Counter, type Registry } from 'prom-client';

export interface ArduinoMetrics {
  frames: Counter<'device' | 'result'>;
  readings: Counter<'device' | 'result'>;
  portOpens: Counter<'device' | 'result'>;
}

/** On the registry passed in, never the global one. Device ids come from configuration, so labels stay bounded. */
export function createArduinoMetrics(registry: Registry): ArduinoMetrics {
  const registers = [registry];
  return {
    frames: new Counter({
      name: 'coupler_arduino_frames_total',
      help: 'Frames received from Arduinos by result: ok, or why one was dropped (bad_cobs, bad_crc, too_short, too_long, bad_message).',
      labelNames: ['device', 'result'] as const,
      registers,
    }),
    readings: new Counter({
      name: 'coupler_arduino_readings_total',
      help: 'Arduino readings by outcome: stored, duplicate (resent, stored before), gap (dropped after a lost frame, resend asked), store_failed.',
      labelNames: ['device', 'result'] as const,
      registers,
    }),
    portOpens: new Counter({
      name: 'coupler_arduino_port_opens_total',
      help: 'Attempts to open an Arduino serial port, by result (ok, failed).',
      labelNames: ['device', 'result'] as const,
      registers,
    }),
  };
}
