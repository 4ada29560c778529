import { describe, expect, it } from 'vitest';
import { formatIndexes, parseIndexes } from '../../src/api/indexes.js';

describe('formatIndexes', () => {
  it.each([
    [[1, 3, 4, 5, 7], '1,3-5,7'],
    [[0, 1], '0,1'],
    [[0, 1, 2], '0-2'],
    [[], ''],
    [[5, 2, 3, 2], '2,3,5'],
    [[0, 1, 2, 4, 5, 6, 7, 9], '0-2,4-7,9'],
  ])('%j → %s', (input, expected) => {
    expect(formatIndexes(input)).toBe(expected);
  });
});

describe('parseIndexes', () => {
  it('parses intervals', () => {
    expect(parseIndexes('0,2-5', 10)).toEqual([0, 2, 3, 4, 5]);
  });
  it.each([
    ['a', 5, 'cannot convert string to integer for index: "a"'],
    ['7', 5, 'too large index: "7"'],
    ['3,1', 5, 'non-increasing order, previous: 3, current: 1'],
    ['3-1', 5, 'non-increasing order, previous: 3, current: 1'],
    [
      '1-2-3',
      5,
      'the fragment "1-2-3" violates the requirement that an index interval can have at most two parts separated by \'-\'',
    ],
  ])('%s (completions %d) is refused', (text, completions, message) => {
    expect(() => parseIndexes(text, completions)).toThrow(message);
  });
});
