import { describe, expect, it } from 'vitest';
import { parseFlowsBundle } from './flows-bundle.js';

const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

describe('flows bundle', () => {
  it('gives the instances with their parameters', () => {
    const flows = [{ name: 'car1-door-alarm', template: 'threshold-alarm', parameters: { DEVICE_ID: 'car1-doors', THRESHOLD: 80 } }];
    expect(parseFlowsBundle(bytes({ flows }))).toEqual(flows);
  });

  it('names every problem: a template given as a path, a missing name, an unknown key, a name used twice, not JSON', () => {
    expect(() => parseFlowsBundle(bytes({ flows: [{ name: 'a', template: '../../etc' }, { template: 'x' }], extra: 1 }))).toThrow(
      'the flows bundle is invalid: extra: is not a known key (got 1); flows[0].template: must match pattern "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$" (got "../../etc"); flows[1].name: is required',
    );
    expect(() => parseFlowsBundle(bytes({ flows: [{ name: 'a', template: 't' }, { name: 'a', template: 'u' }] }))).toThrow('the flows bundle is invalid: flows: the name a is used twice (names make node ids unique)');
    expect(() => parseFlowsBundle(bytes('{"flows": ['))).toThrow(/^the flows bundle is not JSON: /);
  });
});
