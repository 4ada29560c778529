import { describe, expect, it } from 'vitest';
import { bytes, canonicalQuantity, cpuMillis, isQuantity, parseQuantity } from '../../src/api/quantity.js';

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

  // resource.Quantity's String() for the same input (Kubernetes' quantity_test.go cases).
  it.each([
    [0.5, '500m'],
    ['0.5', '500m'],
    ['1.5', '1500m'],
    [1500, '1500'],
    ['1.5e3', '1500'],
    [2000, '2k'],
    ['2000k', '2M'],
    ['1e3', '1e3'],
    ['1E6', '1e6'],
    ['100m', '100m'],
    ['0.1n', '1n'],
    ['1.0000000001', '1000000001n'],
    ['64Mi', '64Mi'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['1000Ki', '1000Ki'],
    ['0.5Ki', '512'],
    ['1.5Ki', '1536'],
    ['0', '0'],
    ['0Mi', '0'],
    ['-1.5', '-1500m'],
    ['+2', '2'],
    ['.5', '500m'],
    ['5.', '5'],
  ])('%j is stored as %s', (q, canonical) => {
    expect(canonicalQuantity(q)).toBe(canonical);
  });
});
