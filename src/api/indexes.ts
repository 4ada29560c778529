// Index sets in Kubernetes' interval notation: "1,3-5,7" (runs of three or more collapse).

/** Parses "0,2-5" for indexes below `completions`; throws with Kubernetes' wording. */
export function parseIndexes(text: string, completions: number): number[] {
  const out: number[] = [];
  if (text === '') return out;
  let prev = -1;
  for (const interval of text.split(',')) {
    const limits = interval.split('-');
    if (limits.length > 2) {
      throw new Error(
        `the fragment "${interval}" violates the requirement that an index interval can have at most two parts separated by '-'`,
      );
    }
    const x = toIndex(limits[0]);
    if (x >= completions) throw new Error(`too large index: "${limits[0]}"`);
    if (x <= prev) throw new Error(`non-increasing order, previous: ${prev}, current: ${x}`);
    let y = x;
    if (limits.length === 2) {
      y = toIndex(limits[1]);
      if (y >= completions) throw new Error(`too large index: "${limits[1]}"`);
      if (x >= y) throw new Error(`non-increasing order, previous: ${x}, current: ${y}`);
    }
    for (let i = x; i <= y; i++) out.push(i);
    prev = y;
  }
  return out;
}

function toIndex(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`cannot convert string to integer for index: "${s}"`);
  const n = Number(s);
  if (n < 0) throw new Error(`cannot convert string to integer for index: "${s}"`);
  return n;
}

/** Formats a set of indexes: ascending, runs of 3+ as `a-b`, runs of two stay `a,b`. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}-${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return parts.join(',');
}
