import { describe, expect, it } from 'vitest';
import { matchesFilter, validateLabels } from './labels.js';

describe('validateLabels', () => {
  it('fills missing keys, sorts tags and drops repeats', () => {
    expect(validateLabels({ train: 'ICE 4711', tags: ['wifi', 'pilot', 'wifi'] })).toEqual({
      train: 'ICE 4711',
      car: '',
      line: '',
      tags: ['pilot', 'wifi'],
    });
    expect(validateLabels(undefined)).toEqual({ train: '', car: '', line: '', tags: [] });
  });

  it('names every bad label with its value', () => {
    expect(() => validateLabels({ car: 'x'.repeat(65), tags: ['ok', 'not ok', ''] })).toThrow(
      `labels.car: must be at most 64 characters of A-Z a-z 0-9 . _ - and space (got "${'x'.repeat(65)}"); ` +
        'labels.tags[1]: must be 1 to 64 characters of A-Z a-z 0-9 . _ - (got "not ok"); ' +
        'labels.tags[2]: must be 1 to 64 characters of A-Z a-z 0-9 . _ - (got "")',
    );
  });
});

describe('matchesFilter', () => {
  const labels = { train: 'T1', car: '2', line: 'S1', tags: ['pilot'] };
  it('matches on every field given and ignores empty ones', () => {
    expect(matchesFilter(labels, { train: '', line: '', tag: '' })).toBe(true);
    expect(matchesFilter(labels, { train: 'T1', line: 'S1', tag: 'pilot' })).toBe(true);
    expect(matchesFilter(labels, { train: 'T2', line: '', tag: '' })).toBe(false);
    expect(matchesFilter(labels, { train: '', line: '', tag: 'wifi' })).toBe(false);
    expect(matchesFilter(undefined, { train: 'T1', line: '', tag: '' })).toBe(false);
    expect(matchesFilter(undefined, { train: '', line: '', tag: '' })).toBe(true);
  });
});
