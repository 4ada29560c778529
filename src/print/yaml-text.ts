// YAML text as kubectl prints it. A module of its own, imported statically, so that the yaml
// package loads only for -o yaml (and a bundler resolves its CommonJS exports by name).
import { Document, parse, stringify, visit, type Scalar } from 'yaml';

const OPTIONS = { indentSeq: false, lineWidth: 0, version: '1.1', singleQuote: true } as const;

/** go-yaml's timestamps (its resolve's formats): read as a time, so quoted. */
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** Whether YAML 1.1 would read the text as something other than a string (a number, a bool, null, a time). */
function readsAsOther(text: string): boolean {
  if (TIMESTAMP.test(text)) return true;
  try {
    const v: unknown = parse(text, { version: '1.1' });
    return v === null || typeof v === 'number' || typeof v === 'boolean';
  } catch {
    return false;
  }
}

/**
 * go-yaml's choice of quotes (kubectl prints through it): a string YAML would read as another type
 * in double quotes (`"1"`, `"true"`); any other that cannot be plain in single quotes, a quote
 * inside doubled (`'it''s: x'`); double quotes only for what needs an escape.
 */
function quoteLikeGo(node: Scalar): void {
  const s = node.value as string;
  if (s.includes('\n')) return; // a block literal, as go-yaml's
  if (s === '' || readsAsOther(s)) node.type = 'QUOTE_DOUBLE';
  // eslint-disable-next-line no-control-regex
  else if (s.includes("'") && !/[\x00-\x08\x0b-\x1f\x7f]/.test(s) && stringify(s, OPTIONS).startsWith('"'))
    node.type = 'QUOTE_SINGLE';
}

export function yamlText(value: unknown): string {
  const doc = new Document(value, { version: '1.1' });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string') quoteLikeGo(node);
    },
  });
  return doc.toString(OPTIONS);
}
