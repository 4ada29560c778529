// JSON written as Go's encoding/json writes it, for text that kubectl and jobctl must write alike
// (the last-applied-configuration annotation: when the two differ by one byte, each apply by the
// other tool reports `configured` and patches the annotation back and forth).

const ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** A string as Go quotes it: JSON's escapes, plus <, >, & and the two line separators. */
const quote = (s: string) => JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => ESCAPES[c]);

/**
 * `v` as Go's json.Marshal writes a decoded manifest: object keys sorted (Go sorts a map's keys;
 * JavaScript would put integer-like keys first), HTML characters escaped. Numbers print
 * alike in both languages (the same shortest form, an exponent from 1e21 and below 1e-6).
 */
export function goJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? quote(v) : JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${quote(k)}:${goJson(o[k])}`).join(',')}}`;
}
