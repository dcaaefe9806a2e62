import type { BacklogReport } from '@coupler/proto';
import { LANES, type Lane } from '../records/index.js';
import type { BacklogState } from './ports.js';

const WIRE_LANE = { bulk: 'LANE_BULK', alarm: 'LANE_ALARM', billing: 'LANE_BILLING' } as const satisfies Record<Lane, string>;
export function toBacklogReport(state: BacklogState, nowMs: number): BacklogReport {
  return {
    records: state.records,
    bytes: state.bytes,
    quotaBytes: state.quotaBytes,
    oldestRecordAgeSeconds: state.oldestTimestampMs === undefined ? 0 : Math.max(0, (nowMs - state.oldestTimestampMs) / 1000),
    secondsUntilQuotaFull: state.secondsUntilQuotaFull ?? 0,
    lanes: LANES.map((lane) => ({ lane: WIRE_LANE[lane], ...state.lanes[lane] })),
  };
}
