import { describe, expect, it } from 'vitest';
import { bytes, cpuMillis, isQuantity, parseQuantity } from '../../src/api/quantity.js';

describe('quantities', () => {
  it.each([
    ['500m', 0.5],
    ['1.5', 1.5],
    ['2', 2],
    ['1k', 1000],
    ['1e3', 1000],
    ['128Mi', 134217728],
    ['1Gi', 1073741824],
    ['100n', 1e-7],
  ])('%s = %d', (q, v) => {
    expect(parseQuantity(q)).toBeCloseTo(v);
  });
  it('converts cpu and memory', () => {
    expect(cpuMillis('500m')).toBe(500);
    expect(cpuMillis(2)).toBe(2000);
    expect(bytes('128Mi')).toBe(134217728);
  });
  it.each(['', 'abc', '1Xi', '1.2.3', 'Mi', '--1'])('%j is not a quantity', (q) => {
    expect(isQuantity(q)).toBe(false);
  });
});
