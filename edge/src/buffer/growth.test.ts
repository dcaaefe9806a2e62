import { describe, expect, it } from 'vitest';
import { GrowthEstimator } from './growth.js';

describe('GrowthEstimator', () => {
  it('says nothing until it has two samples far enough apart', () => {
    const growth = new GrowthEstimator(5000);
    growth.sample(0, 0);
    growth.sample(1000, 1_000_000);
    expect(growth.secondsUntilFull(1_000_000, 2_000_000)).toBeUndefined();
  });

  it('estimates the time to fill the quota from the net growth rate', () => {
    const growth = new GrowthEstimator(5000, 0.5);
    growth.sample(0, 0);
    growth.sample(10_000, 100_000); // 10 kB/s
    expect(growth.bytesPerSecond()).toBe(10_000);
    expect(growth.secondsUntilFull(100_000, 1_100_000)).toBe(100);
    growth.sample(20_000, 300_000); // 20 kB/s, weighted half
    expect(growth.bytesPerSecond()).toBe(15_000);
  });

  it('reports no time to full while the buffer drains', () => {
    const growth = new GrowthEstimator(1000);
    growth.sample(0, 500_000);
    growth.sample(2000, 100_000);
    expect(growth.secondsUntilFull(100_000, 1_000_000)).toBeUndefined();
  });
});
