import { describe, expect, it } from 'vitest';
import { goJson } from '../../src/api/go-json.js';

// What Go's json.Marshal writes for the same decoded value (kubectl's last-applied annotation).
describe("Go's JSON", () => {
  it.each([
    [{ b: 1, a: { d: [true, null], c: 'x' } }, '{"a":{"c":"x","d":[true,null]},"b":1}'],
    [{ '10': 'a', '9': 'b', x: 'c' }, '{"10":"a","9":"b","x":"c"}'],
    ['<a & b>', '"\\u003ca \\u0026 b\\u003e"'],
    ['line\u2028sep\u2029', '"line\\u2028sep\\u2029"'],
    ['tab\tnew\nquote"back\\', '"tab\\tnew\\nquote\\"back\\\\"'],
    ['\b\f\u0001', '"\\b\\f\\u0001"'],
    [[0.5, 1500, 1e21, 1e-7, -0.25], '[0.5,1500,1e+21,1e-7,-0.25]'],
    [{ gone: undefined, kept: null }, '{"kept":null}'],
    [{}, '{}'],
  ])('%j', (value, go) => {
    expect(goJson(value)).toBe(go);
  });
});
