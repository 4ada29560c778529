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
