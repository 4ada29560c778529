// `explain`'s page, as kubectl 1.32 renders it from a group version's OpenAPI v3 document (its
// `plaintext` template): the kind found through the operations of the resource's paths, the
// schema through the kind's `x-kubernetes-group-version-kind`, a field path followed through
// properties, array items, map values and `allOf`, descriptions word-wrapped as Go's go-wordwrap
// does. Fields are listed in key order; a `$ref` already on the path ends a cycle.

type Json = Record<string, unknown>;

/** A failure kubectl reports after the page's header is already out. */
export class ExplainError extends Error {
  constructor(
    message: string,
    readonly printed: string,
  ) {
    super(message);
  }
}

export interface ExplainRequest {
  group: string;
  version: string;
  resource: string;
  fieldPath: readonly string[];
  recursive: boolean;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Json | undefined => (isObject(v) && Object.keys(v).length ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const sortedKeys = (o: Json) => Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const pad = (n: number) => ' '.repeat(Math.max(0, n));
const indent = (n: number, s: string) => pad(n) + s.replaceAll('\n', `\n${pad(n)}`);
/** A map-valued additionalProperties (not `true`/`false`). */
const mapValue = (s: Json) => obj(s.additionalProperties);

/** go-wordwrap's WrapString: break at spaces so lines stay within `limit` where words allow. */
export function wrap(limit: number, s: string): string {
  let out = '';
  let current = 0;
  let word = '';
  let space = '';
  const isSpace = (c: string) => /\s/u.test(c) && c !== '\u00a0';
  for (const c of s) {
    if (c === '\n') {
      if (!word) {
        if (current + [...space].length <= limit) out += space;
      } else out += space + word;
      out += c;
      space = word = '';
      current = 0;
    } else if (isSpace(c)) {
      if (!space || word) {
        current += [...space].length + [...word].length;
        out += space + word;
        space = word = '';
      }
      space += c;
    } else {
      word += c;
      const w = [...word].length;
      if (current + [...space].length + w > limit && w < limit) {
        out += '\n';
        current = 0;
        space = '';
      }
    }
  }
  if (!word) {
    if (current + [...space].length <= limit) out += space;
  } else out += space + word;
  return out;
}

class Renderer {
  constructor(
    private readonly doc: Json,
    private readonly recursive: boolean,
  ) {}

  resolve(ref: unknown): Json | undefined {
    if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
    let cur: unknown = this.doc;
    for (const k of ref.slice(1).split('/')) {
      if (!k) continue;
      if (!isObject(cur)) return undefined;
      cur = cur[k];
    }
    return isObject(cur) ? cur : undefined;
  }

  typeGuess(s: Json): string {
    const items = obj(s.items);
    if (items) return `[]${this.typeGuess(items)}`;
    const value = mapValue(s);
    if (value) return `map[string]${this.typeGuess(value)}`;
    const allOf = list(s.allOf);
    if (allOf.length === 1 && !obj(s.properties) && isObject(allOf[0])) return this.typeGuess(allOf[0]);
    const ref = s.$ref;
    if (typeof ref === 'string' && ref) {
      const target = this.resolve(ref);
      if (!target || !target.type || target.type === 'object')
        return ref.split('/').at(-1)!.split('.').at(-1) || 'Object';
      return String(target.type);
    }
    return s.type === 'object' || !s.type ? 'Object' : String(s.type);
  }

  enumOf(s: Json, long: boolean, limit: number, indentAmount = 0): string {
    const values = list(s.enum);
    if (!values.length) return '';
    let out = long ? 'ENUM:' : `\n${pad(indentAmount)}enum: `;
    for (const [i, v] of values.entries()) {
      if (limit > -1 && i >= limit) {
        out += ', ....';
        break;
      }
      if (i > 0 && !long) out += ', ';
      else if (long) out += '\n    ';
      out += v === '' ? '""' : String(v);
    }
    return out;
  }

  description(s: Json): string {
    const r = this.resolve(s.$ref) ?? s;
    let out = r.description ? `${String(r.description)}\n` : '';
    for (const a of list(r.allOf)) if (isObject(a)) out += this.description(a);
    const items = obj(r.items);
    if (items) out += this.description(items);
    const value = mapValue(r);
    if (value) out += this.description(value);
    return out;
  }

  fieldDetail(name: string, parent: Json, level: number): string {
    const amount = level * 2;
    const field = (parent.properties as Json)[name] as Json;
    let out = `${indent(amount, name)}\t<${this.typeGuess(field)}>`;
    if (list(parent.required).includes(name)) out += ' -required-';
    out += `${this.enumOf(field, false, 4, amount)}\n`;
    if (!this.recursive) {
      const text = typeof field.description === 'string' && field.description ? field.description : '<no description>';
      out += `${indent(amount + 2, wrap(78 - amount, text))}\n\n`;
    }
    return out;
  }

  fieldList(s: Json, level: number, history: ReadonlySet<string>): string {
    const ref = typeof s.$ref === 'string' ? s.$ref : '';
    if (ref && history.has(ref)) return '';
    const next = new Set(history).add(ref);
    const r = this.resolve(ref) ?? s;
    let out = '';
    const props = obj(r.properties);
    for (const k of props ? sortedKeys(props) : []) {
      out += this.fieldDetail(k, r, level);
      if (this.recursive && isObject(props![k])) out += this.fieldList(props![k] as Json, level + 1, next);
    }
    for (const a of list(r.allOf)) if (isObject(a)) out += this.fieldList(a, level, next);
    const items = obj(r.items);
    if (items) out += this.fieldList(items, level, next);
    const value = mapValue(r);
    if (value) out += this.fieldList(value, level, next);
    return out;
  }

  output(s: Json, path: readonly string[], history: ReadonlySet<string>): string {
    const ref = typeof s.$ref === 'string' ? s.$ref : '';
    const next = new Set(history).add(ref);
    const r = this.resolve(ref) ?? s;
    if (!path.length) {
      let out = `DESCRIPTION:\n${indent(4, wrap(76, this.description(r) || '<empty>'))}\n`;
      const fields = this.fieldList(r, 1, new Set());
      if (fields) out += `FIELDS:\n${fields}`;
      return out;
    }
    if (ref && history.has(ref)) return '';
    const props = obj(r.properties);
    const sub = props?.[path[0]];
    if (isObject(sub) && Object.keys(sub).length) {
      let out = '';
      if (path.length === 1) out += `FIELD: ${path[0]} <${this.typeGuess(sub)}>\n${this.enumOf(sub, true, -1)}\n\n`;
      return out + this.output(sub, path.slice(1), new Set());
    }
    const items = obj(r.items);
    if (items) return this.output(items, path, next);
    const value = mapValue(r);
    if (value) return this.output(value, path, next);
    for (const a of list(r.allOf)) {
      const out = isObject(a) ? this.output(a, path, next) : '';
      if (out) return out;
    }
    return '';
  }
}

/** The kind a resource's paths in the document are tagged with, searched as kubectl's template does. */
function kindOf(doc: Json, req: ExplainRequest): Json | undefined {
  const prefix = req.group ? `/apis/${req.group}` : '/api';
  const paths = obj(doc.paths) ?? {};
  const base = `${prefix}/${req.version}`;
  const candidates = [
    `${base}/${req.resource}`,
    `${base}/${req.resource}/{name}`,
    `${base}/namespaces/{namespace}/${req.resource}`,
    `${base}/namespaces/{namespace}/${req.resource}/{name}`,
  ];
  let gvk: Json | undefined;
  for (const p of candidates) {
    const element = obj(paths[p]);
    if (!element) continue;
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = obj(element[method]);
      if (!op) continue;
      gvk = obj(op['x-kubernetes-group-version-kind']);
      if (gvk) break;
    }
  }
  return gvk;
}

const sameGvk = (a: unknown, b: Json) =>
  isObject(a) && sortedKeys(a).join() === sortedKeys(b).join() && sortedKeys(b).every((k) => a[k] === b[k]);
/** Go's %v of the kind's map: `map[group:batch kind:Job version:v1]`. */
const goMap = (m: Json) =>
  `map[${sortedKeys(m)
    .map((k) => `${k}:${String(m[k])}`)
    .join(' ')}]`;

/** The page kubectl prints for `explain`; an ExplainError carries what it printed before failing. */
export function renderExplain(doc: Json, req: ExplainRequest): string {
  const gvk = kindOf(doc, req);
  if (!gvk)
    throw new ExplainError(
      `GVR (${req.group}/${req.version}, Resource=${req.resource}) not found in OpenAPI schema`,
      '',
    );
  let out = gvk.group ? `GROUP:      ${String(gvk.group)}\n` : '';
  out += `KIND:       ${String(gvk.kind)}\nVERSION:    ${String(gvk.version)}\n\n`;
  const schemas = obj(obj(doc.components)?.schemas) ?? {};
  const name = sortedKeys(schemas).find((k) =>
    list((schemas[k] as Json)?.['x-kubernetes-group-version-kind']).some((x) => sameGvk(x, gvk)),
  );
  if (!name) throw new ExplainError(`GVK ${goMap(gvk)} not found in OpenAPI schema`, out);
  const body = new Renderer(doc, req.recursive).output(schemas[name] as Json, req.fieldPath, new Set());
  if (!body) throw new ExplainError(`field "${req.fieldPath.at(-1)}" does not exist`, out);
  return `${out}${body}\n`;
}
