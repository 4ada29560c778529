// Go's text/template values and functions, for `-o go-template` (go-template.ts): how decoded
// JSON prints (float64s as Go prints them, ints from the template as written, maps sorted), what
// is true, and the functions kubectl's templates have, with Go's errors.
import { GoTemplateError } from './go-template-error.js';

export const NO_VALUE = Symbol('no value');

/** Go's %v of a float64. */
function goFloat(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) {
    const digits = String(Math.abs(n)).replace(/0+$/, '').length;
    if (Math.abs(n) < 1e6 || digits > 21) return String(n);
  }
  const exp = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21 || (Number.isInteger(n) && exp >= 6)) {
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(n);
}

/** Go's fmt.Sprint of one value from decoded JSON. */
export function goValue(v: unknown): string {
  if (v === NO_VALUE) return '<no value>';
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number') return goFloat(v);
  if (typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object')
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goValue((v as Record<string, unknown>)[k])}`)
      .join(' ')}]`;
  return String(v);
}

/** The Go type a decoded JSON value has, as errors name it. */
export const goType = (v: unknown): string =>
  v === null || v === undefined || v === NO_VALUE
    ? 'nil'
    : typeof v === 'bigint'
      ? 'int'
      : typeof v === 'number'
        ? 'float64'
        : typeof v === 'string'
          ? 'string'
          : typeof v === 'boolean'
            ? 'bool'
            : Array.isArray(v)
              ? '[]interface {}'
              : 'map[string]interface {}';

export const truthy = (v: unknown): boolean =>
  !(
    v === NO_VALUE ||
    v === null ||
    v === undefined ||
    v === false ||
    v === 0 ||
    v === 0n ||
    v === '' ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)
  );

export const isNum = (x: unknown) => typeof x === 'number' || typeof x === 'bigint';
const cmp = (a: unknown, b: unknown): number => {
  if (isNum(a) && isNum(b)) return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  if (typeof a !== 'string' || typeof b !== 'string') throw new GoTemplateError('incompatible types for comparison');
  return a < b ? -1 : a > b ? 1 : 0;
};

function sprintf(format: string, args: unknown[]): string {
  let n = 0;
  return format.replace(/%([-+# 0]*\d*(?:\.\d+)?)([a-zA-Z%])/g, (_m, _flags: string, verb: string) => {
    if (verb === '%') return '%';
    const a = args[n++];
    if (verb === 'q') return JSON.stringify(typeof a === 'string' ? a : goValue(a));
    if (verb === 'd') return isNum(a) && Number.isInteger(Number(a)) ? String(a) : `%!d(${goType(a)}=${goValue(a)})`;
    return goValue(a);
  });
}

/** eq as Go's template package compares: numbers with numbers, strings with strings; else an error. */
function goEqual(a: unknown, b: unknown): boolean {
  if (isNum(a) && isNum(b)) return Number(a) === Number(b);
  if (typeof a === typeof b && ['string', 'boolean'].includes(typeof a)) return a === b;
  // A missing field against a string is simply not equal; against anything else, an error.
  if (a === NO_VALUE && typeof b === 'string') return false;
  if ((a === null || a === NO_VALUE) && (b === null || b === NO_VALUE)) return true;
  throw new GoTemplateError('error calling eq: incompatible types for comparison');
}

export const FUNCS: Record<string, (...a: unknown[]) => unknown> = {
  and: (...a) => a.find((x) => !truthy(x)) ?? a[a.length - 1],
  or: (...a) => a.find((x) => truthy(x)) ?? a[a.length - 1],
  not: (a) => !truthy(a),
  len: (a) => {
    if (typeof a === 'string' || Array.isArray(a)) return BigInt(a.length);
    if (a && typeof a === 'object') return BigInt(Object.keys(a).length);
    throw new GoTemplateError(`error calling len: len of type ${goType(a)}`);
  },
  index: (a, ...keys) => {
    let v = a;
    for (const k of keys) {
      if (Array.isArray(v)) {
        const at = Number(k);
        if (!isNum(k) || at < 0 || at >= v.length)
          throw new GoTemplateError(`error calling index: index out of range: ${goValue(k)}`);
        v = v[at];
      } else if (v && typeof v === 'object')
        v = (k as string) in v ? (v as Record<string, unknown>)[k as string] : undefined;
      else if (v === null || v === undefined || v === NO_VALUE)
        throw new GoTemplateError('error calling index: index of untyped nil');
      else throw new GoTemplateError(`error calling index: can't index item of type ${typeof v}`);
    }
    return v;
  },
  print: (...a) =>
    a.map((x, i) => (i && typeof x !== 'string' && typeof a[i - 1] !== 'string' ? ' ' : '') + goValue(x)).join(''),
  println: (...a) => `${a.map(goValue).join(' ')}\n`,
  printf: (f, ...a) => sprintf(String(f), a),
  eq: (a, ...b) => b.some((x) => goEqual(a, x)),
  ne: (a, b) => !goEqual(a, b),
  lt: (a, b) => cmp(a, b) < 0,
  le: (a, b) => cmp(a, b) <= 0,
  gt: (a, b) => cmp(a, b) > 0,
  ge: (a, b) => cmp(a, b) >= 0,
  exists: (a, ...path) => {
    let v = a;
    for (const k of path) {
      if (!v || typeof v !== 'object' || !(String(k) in v)) return false;
      v = (v as Record<string, unknown>)[String(k)];
    }
    return true;
  },
  base64decode: (a) => Buffer.from(String(a), 'base64').toString('utf8'),
};
