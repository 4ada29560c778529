// `-o go-template` as kubectl's: Go's text/template over the object decoded from JSON (numbers are
// float64s, printed as Go prints them), the common subset: fields, variables, pipelines,
// if/else if/else, range (with $i, $e and else), with, parentheses, trim markers, and the
// functions and, or, not, len, index, print, printf, println, eq, ne, lt, le, gt, ge, plus
// kubectl's exists and base64decode. Errors in Go's words.

import { GoTemplateError } from './go-template-error.js';
import { FUNCS, goValue, NO_VALUE, truthy } from './go-template-funcs.js';

export { GoTemplateError, goValue };

type Node =
  | { t: 'text'; text: string }
  | { t: 'action'; pipe: Pipe; line: number; src: string }
  | { t: 'if' | 'with'; pipe: Pipe; then: Node[]; else: Node[] }
  | { t: 'range'; pipe: Pipe; then: Node[]; else: Node[] };

interface Pipe {
  decl: string[];
  cmds: Term[][];
  /** Where it is, for errors: `output:LINE:COL`, and its text. */
  at?: { line: number; col: number; src: string };
}

type Term =
  | { k: 'field'; base: 'dot' | string; path: string[] }
  | { k: 'lit'; v: unknown }
  | { k: 'fn'; name: string }
  | { k: 'sub'; pipe: Pipe; path: string[] };

// ---- lexing and parsing ----

interface Tok {
  kind: 'text' | 'action';
  text: string;
  line: number;
  /** The action's text's offset in its line. */
  col?: number;
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  let line = 1;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      out.push({ kind: 'text', text: src.slice(i), line });
      break;
    }
    let text = src.slice(i, open);
    let start = open + 2;
    if (src.startsWith('- ', start) || src.startsWith('-\t', start) || src.startsWith('-\n', start)) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    out.push({ kind: 'text', text, line });
    line += (src.slice(i, open).match(/\n/g) ?? []).length;
    // The action's end, outside quotes.
    let j = start;
    let quote = '';
    for (; j < src.length; j++) {
      const c = src[j];
      if (quote) {
        if (c === '\\' && quote === '"') j++;
        else if (c === quote) quote = '';
      } else if (c === '"' || c === '`') quote = c;
      else if (src.startsWith('}}', j)) break;
    }
    if (j >= src.length) throw new GoTemplateError(`template: output:${line}: unclosed action`);
    let body = src.slice(start, j);
    let next = j + 2;
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      const m = /^\s*/.exec(src.slice(next))![0];
      next += m.length;
    }
    const lead = body.length - body.trimStart().length;
    const lineStart = src.lastIndexOf('\n', start - 1) + 1;
    out.push({ kind: 'action', text: body.trim(), line, col: start + lead - lineStart });
    line += (src.slice(open, next).match(/\n/g) ?? []).length;
    i = next;
  }
  return out;
}

/** The words of an action: strings, numbers, fields, variables, `|`, `(`, `)`, `:=`, `,`. */
function words(text: string, line: number): string[] {
  const out: string[] = [];
  const re = /\s+|"(?:[^"\\]|\\.)*"|`[^`]*`|:=|[|(),=]|[^\s|(),"`]+/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text))) if (m[0].trim()) out.push(m[0]);
  if (re.lastIndex < text.length)
    throw new GoTemplateError(`template: output:${line}: unexpected "${text[re.lastIndex]}"`);
  return out;
}

function parsePipe(ws: string[], line: number): Pipe {
  let decl: string[] = [];
  const assign = ws.indexOf(':=');
  if (assign >= 0) {
    decl = ws.slice(0, assign).filter((w) => w !== ',');
    ws = ws.slice(assign + 1);
  }
  const cmds: Term[][] = [];
  let cur: Term[] = [];
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    if (w === '|') {
      if (!cur.length) throw new GoTemplateError(`template: output:${line}: missing command`);
      cmds.push(cur);
      cur = [];
    } else if (w === '(') {
      let depth = 1;
      let j = i + 1;
      for (; j < ws.length && depth; j++) depth += ws[j] === '(' ? 1 : ws[j] === ')' ? -1 : 0;
      if (depth) throw new GoTemplateError(`template: output:${line}: unclosed left paren`);
      const inner = parsePipe(ws.slice(i + 1, j - 1), line);
      const after = ws[j]?.startsWith('.') ? ws[j++].split('.').slice(1) : [];
      cur.push({ k: 'sub', pipe: inner, path: after });
      i = j - 1;
    } else cur.push(term(w, line));
  }
  if (!cur.length) throw new GoTemplateError(`template: output:${line}: missing value for command`);
  cmds.push(cur);
  return { decl, cmds };
}

function term(w: string, line: number): Term {
  if (w.startsWith('"')) return { k: 'lit', v: JSON.parse(w) as string };
  if (w.startsWith('`')) return { k: 'lit', v: w.slice(1, -1) };
  // An integer constant is a Go int (printed as written); others are float64s.
  if (/^-?\d+$/.test(w)) return { k: 'lit', v: BigInt(w) };
  if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(w)) return { k: 'lit', v: Number(w) };
  if (w === 'true' || w === 'false') return { k: 'lit', v: w === 'true' };
  if (w === 'nil') return { k: 'lit', v: null };
  if (w === '.') return { k: 'field', base: 'dot', path: [] };
  if (w.startsWith('.')) return { k: 'field', base: 'dot', path: w.slice(1).split('.') };
  if (w.startsWith('$')) {
    const [name, ...path] = w.split('.');
    return { k: 'field', base: name, path };
  }
  if (/^[A-Za-z_]\w*$/.test(w)) {
    if (!(w in FUNCS)) throw new GoTemplateError(`template: output:${line}: function "${w}" not defined`);
    return { k: 'fn', name: w };
  }
  throw new GoTemplateError(`template: output:${line}: unexpected "${w}" in command`);
}

function parse(src: string): Node[] {
  const toks = tokenize(src);
  let i = 0;
  const block = (ends: string[]): { nodes: Node[]; end: string; endTok?: Tok } => {
    const nodes: Node[] = [];
    for (; i < toks.length; i++) {
      const tk = toks[i];
      if (tk.kind === 'text') {
        if (tk.text) nodes.push({ t: 'text', text: tk.text });
        continue;
      }
      if (tk.text.startsWith('/*')) continue;
      const ws = words(tk.text, tk.line);
      const head = ws[0];
      if (ends.includes(head)) return { nodes, end: head, endTok: tk };
      if (head === 'if' || head === 'with' || head === 'range') {
        i++;
        const pipe = parsePipe(ws.slice(1), tk.line);
        const rest = tk.text.slice(head.length).trimStart();
        pipe.at = { line: tk.line, col: (tk.col ?? 0) + tk.text.length - rest.length, src: rest };
        nodes.push(conditional(head, pipe, tk.line));
        continue;
      }
      if (head === 'end' || head === 'else')
        throw new GoTemplateError(`template: output:${tk.line}: unexpected {{${head}}}`);
      const pipe = parsePipe(ws, tk.line);
      pipe.at = { line: tk.line, col: tk.col ?? 0, src: tk.text };
      nodes.push({ t: 'action', pipe, line: tk.line, src: tk.text });
    }
    return { nodes, end: '' };
  };
  /** An if, with or range from its body on: `else`, `else if` (sharing one end), `end`. */
  const conditional = (head: 'if' | 'with' | 'range', pipe: Pipe, line: number): Node => {
    const body = block(['else', 'end']);
    if (body.end === 'end') return { t: head, pipe, then: body.nodes, else: [] };
    if (body.end !== 'else') throw new GoTemplateError(`template: output:${line}: unexpected EOF`);
    const elseWords = words(body.endTok!.text, body.endTok!.line);
    i++;
    if (elseWords[1] === 'if' || elseWords[1] === 'with') {
      const nested = conditional(elseWords[1], parsePipe(elseWords.slice(2), line), line);
      return { t: head, pipe, then: body.nodes, else: [nested] };
    }
    const rest = block(['end']);
    if (rest.end !== 'end') throw new GoTemplateError(`template: output:${line}: unexpected EOF`);
    return { t: head, pipe, then: body.nodes, else: rest.nodes };
  };
  const top = block([]);
  return top.nodes;
}

// ---- evaluation ----

interface Scope {
  dot: unknown;
  vars: Map<string, unknown>[];
}

const lookupVar = (s: Scope, name: string) => {
  for (let i = s.vars.length - 1; i >= 0; i--) if (s.vars[i].has(name)) return s.vars[i].get(name);
  throw new GoTemplateError(`undefined variable: ${name}`);
};

function walk(v: unknown, path: string[]): unknown {
  for (const p of path) {
    if (v === NO_VALUE || v === null || v === undefined) return v === NO_VALUE ? NO_VALUE : undefined;
    if (typeof v !== 'object' || Array.isArray(v))
      throw new FieldError(`can't evaluate field ${p} in type ${Array.isArray(v) ? '[]interface {}' : 'interface {}'}`);
    v = p in v ? (v as Record<string, unknown>)[p] : NO_VALUE;
  }
  return v;
}

function evalTerm(t: Term, s: Scope): unknown {
  if (t.k === 'lit') return t.v;
  if (t.k === 'field') {
    const base = t.base === 'dot' ? s.dot : lookupVar(s, t.base);
    return walk(base, t.path);
  }
  if (t.k === 'sub') return walk(evalPipe(t.pipe, s), t.path);
  return FUNCS[t.name]();
}

class FieldError extends GoTemplateError {}

/** An error while executing, with where it happened, as Go's template package words it. */
export class GoTemplateExecError extends GoTemplateError {}

function evalPipe(p: Pipe, s: Scope): unknown {
  try {
    return evalPipeInner(p, s);
  } catch (e) {
    if (!(e instanceof GoTemplateError) || e instanceof GoTemplateExecError || !p.at) throw e;
    // Go places a field chain's error after its first field (`{{.metadata.name.x}}`: column 11).
    const chain = /^\.[^.\s]+(?=\.)/.exec(p.at.src);
    const col = p.at.col + (e instanceof FieldError && chain ? chain[0].length : 0);
    throw new GoTemplateExecError(
      `template: output:${p.at.line}:${col}: executing "output" at <${p.at.src}>: ${e.message}`,
    );
  }
}

function evalPipeInner(p: Pipe, s: Scope): unknown {
  let value: unknown = undefined;
  p.cmds.forEach((cmd, i) => {
    const [head, ...args] = cmd;
    const piped = i > 0 ? [value] : [];
    if (head.k === 'fn') value = FUNCS[head.name](...args.map((a) => evalTerm(a, s)), ...piped);
    else {
      if (args.length || piped.length)
        throw new GoTemplateError(`can't give argument to non-function ${JSON.stringify(head)}`);
      value = evalTerm(head, s);
    }
  });
  if (p.decl.length === 1) s.vars[s.vars.length - 1].set(p.decl[0], value);
  return value;
}

function run(nodes: Node[], s: Scope, out: string[]): void {
  for (const n of nodes) {
    if (n.t === 'text') out.push(n.text);
    else if (n.t === 'action') {
      const v = evalPipe(n.pipe, s);
      if (!n.pipe.decl.length) out.push(goValue(v));
    } else if (n.t === 'if' || n.t === 'with') {
      s.vars.push(new Map());
      const v = evalPipe(n.pipe, s);
      if (truthy(v)) run(n.then, n.t === 'with' ? { dot: v, vars: s.vars } : s, out);
      else run(n.else, s, out);
      s.vars.pop();
    } else {
      s.vars.push(new Map());
      const decl = n.pipe.decl;
      const v = evalPipe({ ...n.pipe, decl: [] }, s);
      const entries: [unknown, unknown][] = Array.isArray(v)
        ? v.map((x, i) => [i, x])
        : v && typeof v === 'object'
          ? Object.keys(v)
              .sort()
              .map((k) => [k, (v as Record<string, unknown>)[k]])
          : [];
      if (v !== null && v !== undefined && v !== NO_VALUE && typeof v !== 'object') {
        const at = n.pipe.at;
        throw new GoTemplateExecError(
          `template: output:${at?.line ?? 1}:${at?.col ?? 0}: executing "output" at <${at?.src ?? ''}>: range can't iterate over ${goValue(v)}`,
        );
      }
      for (const [k, x] of entries) {
        const vars = s.vars[s.vars.length - 1];
        if (decl.length === 1) vars.set(decl[0], x);
        if (decl.length === 2) {
          vars.set(decl[0], k);
          vars.set(decl[1], x);
        }
        run(n.then, { dot: x, vars: s.vars }, out);
      }
      if (!entries.length) run(n.else, s, out);
      s.vars.pop();
    }
  }
}

/** Parses `template` (GoTemplateError for a bad one, as `template: output:LINE: ...`). */
export function parseGoTemplate(template: string): (data: unknown) => string {
  const nodes = parse(template);
  return (data) => {
    const out: string[] = [];
    try {
      run(nodes, { dot: data, vars: [new Map([['$', data]])] }, out);
    } catch (e) {
      // What was written before the failure is printed, as Go's template writes as it goes.
      if (e instanceof GoTemplateError) e.partial = out.join('');
      throw e;
    }
    return out.join('');
  };
}
