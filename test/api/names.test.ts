import { describe, expect, it } from 'vitest';
import { generateName, NAME_ALPHABET, randomSuffix } from '../../src/api/names.js';
import { defaultPullPolicy } from '../../src/api/defaults.js';

describe('generated names', () => {
  it('uses five characters of Kubernetes alphabet', () => {
    for (let i = 0; i < 200; i++) {
      const s = randomSuffix();
      expect(s).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    }
    expect(NAME_ALPHABET).toHaveLength(27);
  });
  it('cuts the prefix to 58 characters', () => {
    const name = generateName('x'.repeat(70) + '-');
    expect(name).toHaveLength(63);
    expect(name.startsWith('x'.repeat(58))).toBe(true);
  });
});

describe('imagePullPolicy defaults', () => {
  it.each([
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['busybox:1.35', 'IfNotPresent'],
    ['my-registry:5000/app', 'Always'],
    ['my-registry:5000/app:v1', 'IfNotPresent'],
    ['app@sha256:abc', 'IfNotPresent'],
  ])('%s → %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });
});
