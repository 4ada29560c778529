// kubectl's -o jsonpath: `{.a.b}`, `{.a.b\.c/d}`, `{.items[*].metadata.name}`, `{.a[0]}`, `{.m['k.with.dots']}`,
// `{range .items[*]}...{end}`, and literal text (with \n and \t escapes).

export class JsonPathError extends Error {}

type Seg = { key: string } | { index: number } | { all: true };

function parsePath(expr: string): Seg[] {
  let e = expr.trim();
  if (e === '.' || e === '@' || e === '$') return [];
  if (e.startsWith('$')) e = e.slice(1);
  if (e.startsWith('@')) e = e.slice(1);
  const segs: Seg[] = [];
  // A field name runs to the next dot or bracket; `\.` is a dot within it, as kubectl reads
  // `.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration`.
  const re = /\.((?:\\.|[^.[\]\s{}(),*\\])+)|\[\*\]|\[(-?\d+)\]|\['([^']*)'\]|\["([^"]*)"\]|\.\*/y;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < e.length) {
    re.lastIndex = pos;
    if (!(m = re.exec(e))) throw new JsonPathError(`unrecognized identifier ${e.slice(pos)}`);
    if (m[1] !== undefined) segs.push({ key: m[1].replace(/\\(.)/g, '$1') });
    else if (m[2] !== undefined) segs.push({ index: Number(m[2]) });
    else if (m[3] !== undefined || m[4] !== undefined) segs.push({ key: m[3] ?? m[4] });
    else segs.push({ all: true });
    pos = re.lastIndex;
  }
  return segs;
}

function evaluate(root: unknown, segs: Seg[]): unknown[] {
  let cur: unknown[] = [root];
  for (const s of segs) {
    const next: unknown[] = [];
    for (const v of cur) {
      if ('key' in s) {
        if (v && typeof v === 'object' && !Array.isArray(v) && s.key in (v as object))
          next.push((v as Record<string, unknown>)[s.key]);
      } else if ('index' in s) {
        if (Array.isArray(v)) {
          const i = s.index < 0 ? v.length + s.index : s.index;
          if (i >= 0 && i < v.length) next.push(v[i]);
        }
      } else if (Array.isArray(v)) next.push(...v);
      else if (v && typeof v === 'object') next.push(...Object.values(v));
    }
    cur = next;
  }
  return cur;
}

const show = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : v === null || v === undefined
      ? ''
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);

type Node = { text: string } | { path: Seg[] } | { range: Seg[]; body: Node[] };

function parseTemplate(t: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  const ranges: { range: Seg[]; body: Node[] }[] = [];
  let i = 0;
  while (i < t.length) {
    const open = t.indexOf('{', i);
    if (open < 0) {
      stack[stack.length - 1].push({ text: t.slice(i) });
      break;
    }
    if (open > i) stack[stack.length - 1].push({ text: t.slice(i, open) });
    const close = t.indexOf('}', open);
    if (close < 0) throw new JsonPathError(`unclosed action`);
    const inner = t.slice(open + 1, close).trim();
    if (inner.startsWith('range ')) {
      const node = { range: parsePath(inner.slice(6)), body: [] as Node[] };
      stack[stack.length - 1].push(node);
      ranges.push(node);
      stack.push(node.body);
    } else if (inner === 'end') {
      if (stack.length === 1) throw new JsonPathError('not in range, nothing to end');
      stack.pop();
      ranges.pop();
    } else if (/^".*"$/.test(inner) || /^'.*'$/.test(inner)) {
      stack[stack.length - 1].push({ text: inner.slice(1, -1).replace(/\\n/g, '\n').replace(/\\t/g, '\t') });
    } else {
      stack[stack.length - 1].push({ path: parsePath(inner) });
    }
    i = close + 1;
  }
  if (stack.length !== 1) throw new JsonPathError('unclosed range');
  return root;
}

function run(nodes: Node[], data: unknown): string {
  let out = '';
  for (const n of nodes) {
    if ('text' in n) out += n.text;
    else if ('path' in n) out += evaluate(data, n.path).map(show).join(' ');
    else for (const item of evaluate(data, n.range)) out += run(n.body, item);
  }
  return out;
}

export function jsonPath(template: string, data: unknown): string {
  const t = template.replace(/^'(.*)'$/s, '$1');
  return run(parseTemplate(t), data);
}

/** kubectl's relaxed field spec (`.a.b`, `a.b`, `{.a.b}`, `{a.b}`) as its `{.a.b}` template. */
export function relaxedJsonPath(spec: string): string {
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(spec);
  if (!m)
    throw new JsonPathError(
      "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
    );
  return `{.${m[1] ?? m[2]}}`;
}

/** The values one `{.path}` finds (missing keys find nothing), as kubectl's FindResults. */
export function jsonPathValues(template: string, data: unknown): unknown[] {
  const nodes = parseTemplate(template);
  const path = nodes.find((n): n is { path: Seg[] } => 'path' in n);
  return path ? evaluate(data, path.path) : [];
}

/** Go's fmt.Sprint of a decoded JSON value: `map[a:1 b:x]`, `[a b]`, `<nil>`. */
export function goSprint(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  if (typeof v === 'object')
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goSprint((v as Record<string, unknown>)[k])}`)
      .join(' ')}]`;
  return String(v);
}
