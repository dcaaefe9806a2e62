import { describe, expect, it } from 'vitest';
import { compareVersions, TEMPLATE_VERSION_PATTERN } from './semver.js';

describe('template versions', () => {
  it('orders by Semantic Versioning precedence', () => {
    const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.2.0', '1.10.0', '2.0.0'];
    expect([...ordered].reverse().sort(compareVersions)).toEqual(ordered);
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
  });

  it('accepts semantic versions without build metadata only', () => {
    expect(['1.0.0', '0.1.0-rc.1', '10.20.30-alpha-1'].every((v) => TEMPLATE_VERSION_PATTERN.test(v))).toBe(true);
    expect(['1.0', 'v1.0.0', '01.0.0', '1.0.0+build.1', '1.0.0-01', 'latest', ''].some((v) => TEMPLATE_VERSION_PATTERN.test(v))).toBe(false);
  });
});
