// resource.Quantity: the grammar, the suffixes, and a numeric value for comparisons.

export const QUANTITY_REGEX_TEXT = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
const QUANTITY_RE = new RegExp(QUANTITY_REGEX_TEXT);

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

export class QuantityError extends Error {}

/** Parses a quantity (string or number) into its value in base units; throws QuantityError. */
export function parseQuantity(input: string | number): number {
  const s = typeof input === 'number' ? String(input) : input.trim();
  const m = QUANTITY_RE.exec(s);
  if (!m || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1])) {
    throw new QuantityError(`quantities must match the regular expression '${QUANTITY_REGEX_TEXT}'`);
  }
  const base = Number(m[1]);
  const suffix = m[2];
  let mult: number | undefined = BINARY[suffix] ?? DECIMAL[suffix];
  if (mult === undefined) {
    const exp = /^[eE]([-+]?\d+)$/.exec(suffix);
    if (exp) mult = 10 ** Number(exp[1]);
  }
  if (mult === undefined) throw new QuantityError("unable to parse quantity's suffix");
  return base * mult;
}

export function isQuantity(input: unknown): boolean {
  if (typeof input !== 'string' && typeof input !== 'number') return false;
  try {
    parseQuantity(input);
    return true;
  } catch {
    return false;
  }
}

/** Millicores for a cpu quantity. */
export const cpuMillis = (q: string | number): number => Math.round(parseQuantity(q) * 1000);
/** Bytes for a memory quantity. */
export const bytes = (q: string | number): number => Math.round(parseQuantity(q));

const DECIMAL_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const SI_SUFFIX: Record<number, string> = {
  [-9]: 'n',
  [-6]: 'u',
  [-3]: 'm',
  0: '',
  3: 'k',
  6: 'M',
  9: 'G',
  12: 'T',
  15: 'P',
  18: 'E',
};
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const NANO = 10n ** 9n;

/**
 * A quantity as the API server stores and returns it (resource.Quantity's canonical form): exact
 * to the nano, rounded up beyond; in its own notation (SI suffix, binary suffix or exponent), with
 * the largest suffix that keeps the number whole: 0.5 → 500m, 2000 → 2k, 1.5Gi → 1536Mi; binary
 * below 1024 or with a fraction as SI (0.5Ki → 512). The input must be a valid quantity.
 */
export function canonicalQuantity(input: string | number): string {
  const m = QUANTITY_RE.exec(typeof input === 'number' ? String(input) : input.trim());
  if (!m) throw new QuantityError(`quantities must match the regular expression '${QUANTITY_REGEX_TEXT}'`);
  const [, num, suffix] = m;
  const negative = num.startsWith('-');
  const [whole, fraction = ''] = num.replace(/^[+-]/, '').split('.');
  let digits = BigInt(`${whole}${fraction}` || '0');
  let exponent = -fraction.length;
  let format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent' = 'DecimalSI';
  const binary = BINARY_SUFFIXES.indexOf(suffix);
  if (suffix && binary > 0) {
    format = 'BinarySI';
    digits *= 1024n ** BigInt(binary);
  } else if (suffix in DECIMAL_EXPONENT) exponent += DECIMAL_EXPONENT[suffix];
  else {
    format = 'DecimalExponent';
    exponent += Number(suffix.slice(1));
  }
  // In nano units, rounded up (away from zero) past the ninth decimal.
  const shift = exponent + 9;
  let nanos = shift >= 0 ? digits * 10n ** BigInt(shift) : digits / 10n ** BigInt(-shift);
  if (shift < 0 && nanos * 10n ** BigInt(-shift) !== digits) nanos += 1n;
  if (nanos === 0n) return '0';
  const sign = negative ? '-' : '';
  if (format === 'BinarySI' && (nanos < 1024n * NANO || nanos % NANO !== 0n)) format = 'DecimalSI';
  if (format === 'BinarySI') {
    let v = nanos / NANO;
    let e = 0;
    for (; v % 1024n === 0n && e < BINARY_SUFFIXES.length - 1; e++) v /= 1024n;
    return `${sign}${v}${BINARY_SUFFIXES[e]}`;
  }
  let e = -9;
  for (; nanos % 10n === 0n; e++) nanos /= 10n;
  const down = ((e % 3) + 3) % 3; // the exponent a multiple of 3
  nanos *= 10n ** BigInt(down);
  e -= down;
  if (format === 'DecimalExponent') return `${sign}${nanos}${e === 0 ? '' : `e${e}`}`;
  if (e > 18) {
    nanos *= 10n ** BigInt(e - 18);
    e = 18;
  }
  return `${sign}${nanos}${SI_SUFFIX[e]}`;
}
