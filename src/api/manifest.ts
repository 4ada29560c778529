// Reading manifests: YAML (multi-document, YAML 1.1 scalars as Kubernetes reads them) or JSON,
// `kind: List`, and strict decoding against the schema, with line and column for every problem.
import { LineCounter, parseAllDocuments, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { configMapSchema, jobSchema, namespaceSchema, secretSchema, type Schema } from './schema.js';
import { canonicalQuantity, isQuantity } from './quantity.js';
import type { ApiObject } from './types.js';

export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
export const MAX_DOCUMENTS = 1000;
/** Aliases a document may use before it is refused as an expansion bomb. */
export const MAX_ALIAS_COUNT = 100;

interface KindInfo {
  apiVersion: string;
  kind: string;
  schema: Schema;
}

export const SERVED_KINDS: KindInfo[] = [
  { apiVersion: 'batch/v1', kind: 'Job', schema: jobSchema },
  { apiVersion: 'v1', kind: 'ConfigMap', schema: configMapSchema },
  { apiVersion: 'v1', kind: 'Secret', schema: secretSchema },
  { apiVersion: 'v1', kind: 'Namespace', schema: namespaceSchema },
];

const SERVED_LIST = SERVED_KINDS.map((k) => `${k.kind} (${k.apiVersion})`).join(', ') + ', List (v1)';

/** A problem with one manifest document; `message` is the full text a user sees after `error: `. */
export class ManifestError extends Error {}

export interface DecodedObject {
  source: string;
  object: ApiObject;
  /**
   * The document as written, before decoding (nulls kept, numbers left numbers): what kubectl
   * records as an object's last-applied configuration.
   */
  manifest: Record<string, unknown>;
}

export interface DecodeResult {
  objects: DecodedObject[];
  errors: ManifestError[];
}

type PathSeg = string | number;

interface DecodeProblem {
  path: PathSeg[];
  /** the key's position rather than the value's (unknown fields) */
  atKey: boolean;
  text: string;
}

export function oversizeError(sourceName: string): ManifestError {
  const label = sourceName === '-' ? 'STDIN' : sourceName;
  return new ManifestError(
    `error reading "${label}": manifests larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB are refused`,
  );
}

/** Decodes every document of one source (a file's text, or standard input's). */
export function decodeManifests(sourceName: string, text: string): DecodeResult {
  const result: DecodeResult = { objects: [], errors: [] };
  const label = sourceName === '-' ? 'STDIN' : sourceName;
  if (Buffer.byteLength(text, 'utf8') > MAX_MANIFEST_BYTES) {
    result.errors.push(oversizeError(sourceName));
    return result;
  }
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      version: '1.1',
      merge: true,
      lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
    }) as Document.Parsed[];
  } catch (e) {
    result.errors.push(new ManifestError(`error parsing "${label}": ${(e as Error).message}`));
    return result;
  }
  if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];
  if (docs.length > MAX_DOCUMENTS) {
    result.errors.push(new ManifestError(`error parsing "${label}": more than ${MAX_DOCUMENTS} documents`));
    return result;
  }
  const at = (offset: number | undefined): string => {
    if (offset === undefined) return '';
    const { line, col } = lineCounter.linePos(offset);
    return `line ${line}, column ${col}`;
  };
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const msg = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      result.errors.push(new ManifestError(`error parsing "${label}": yaml: ${at(e.pos[0])}: ${msg}`));
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      result.errors.push(new ManifestError(`error parsing "${label}": ${(e as Error).message}`));
      continue;
    }
    if (value === null || value === undefined) continue; // an empty document
    const position = (path: PathSeg[], atKey: boolean): string => {
      const node = findNode(doc, path, atKey);
      const range = node && (node as Node).range;
      return range ? ` (${at(range[0])})` : '';
    };
    decodeDocument(value, [], label, position, result);
  }
  return result;
}

function decodeDocument(
  value: unknown,
  basePath: PathSeg[],
  label: string,
  position: (path: PathSeg[], atKey: boolean) => string,
  result: DecodeResult,
): void {
  if (!isPlainObject(value)) {
    result.errors.push(
      new ManifestError(
        `error validating "${label}": the document${position(basePath, false)} is a ${jsonKind(value)}, not an object with apiVersion and kind`,
      ),
    );
    return;
  }
  const apiVersion = value.apiVersion;
  const kind = value.kind;
  if (typeof kind !== 'string' || kind === '' || typeof apiVersion !== 'string' || apiVersion === '') {
    const missing = typeof apiVersion !== 'string' || apiVersion === '' ? 'apiVersion' : 'kind';
    result.errors.push(
      new ManifestError(
        `error validating "${label}": error validating data: ${missing} not set${position(basePath, false)}`,
      ),
    );
    return;
  }
  if (kind === 'List' && apiVersion === 'v1') {
    const items = value.items;
    if (items !== undefined && !Array.isArray(items)) {
      result.errors.push(
        new ManifestError(
          `error validating "${label}": List.items${position([...basePath, 'items'], false)} must be a list`,
        ),
      );
      return;
    }
    (items ?? []).forEach((item: unknown, i: number) =>
      decodeDocument(item, [...basePath, 'items', i], label, position, result),
    );
    return;
  }
  const info = SERVED_KINDS.find((k) => k.kind === kind && k.apiVersion === apiVersion);
  if (!info) {
    const sameKind = SERVED_KINDS.find((k) => k.kind === kind);
    const hint = sameKind ? `${kind} is served as apiVersion ${sameKind.apiVersion}` : `jobctl serves ${SERVED_LIST}`;
    result.errors.push(
      new ManifestError(
        `resource mapping not found for name: "${nameOf(value)}" namespace: "${namespaceOf(value)}" from "${label}": no matches for kind "${kind}" in version "${apiVersion}"; ${hint}`,
      ),
    );
    return;
  }
  const problems: DecodeProblem[] = [];
  const decoded = decodeValue(value, info.schema, [], problems);
  if (problems.length > 0) {
    const parts = problems.map((p) => p.text + position([...basePath, ...p.path], p.atKey));
    const unknownOnly = problems.every((p) => p.atKey);
    const body = unknownOnly ? `strict decoding error: ${parts.join(', ')}` : parts.join(', ');
    result.errors.push(
      new ManifestError(
        `error decoding "${label}": ${kind} in version "${apiVersion.split('/').pop()}" cannot be handled as a ${kind}: ${body}`,
      ),
    );
    return;
  }
  result.objects.push({ source: label, object: decoded as ApiObject, manifest: value });
}

/**
 * A request body as the API server decodes it: strictly against the kind's schema. `unknown`
 * are the unknown fields (dropped from `object`); `invalid` the values of the wrong type. An
 * object of a kind without a schema here comes back as it is.
 */
export function decodeBody(body: ApiObject): { object: ApiObject; unknown: string[]; invalid: string[] } {
  const info = SERVED_KINDS.find((k) => k.kind === body.kind && k.apiVersion === body.apiVersion);
  if (!info) return { object: body, unknown: [], invalid: [] };
  const problems: DecodeProblem[] = [];
  const object = decodeValue(body, info.schema, [], problems) as ApiObject;
  return {
    object,
    unknown: problems.filter((p) => p.atKey).map((p) => p.text),
    invalid: problems.filter((p) => !p.atKey).map((p) => p.text),
  };
}

const nameOf = (o: Record<string, unknown>): string => {
  const m = o.metadata;
  return isPlainObject(m) && typeof m.name === 'string' ? m.name : '';
};
const namespaceOf = (o: Record<string, unknown>): string => {
  const m = o.metadata;
  return isPlainObject(m) && typeof m.namespace === 'string' ? m.namespace : '';
};

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Map);
}

function jsonKind(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string' || v instanceof Date) return 'string';
  return 'object';
}

function goType(s: Schema): string {
  switch (s.t) {
    case 'string':
      return 'string';
    case 'int32':
      return 'int32';
    case 'int64':
      return 'int64';
    case 'bool':
      return 'bool';
    case 'quantity':
      return 'resource.Quantity';
    case 'intOrString':
      return 'intstr.IntOrString';
    case 'object':
      return 'map[string]interface {}';
    case 'any':
      return 'interface {}';
    case 'struct':
      return `v1.${s.name}`;
    case 'map':
      return `map[string]${goType(s.value)}`;
    case 'list':
      return `[]${goType(s.item)}`;
  }
}

function dotted(path: PathSeg[]): string {
  return path.filter((p) => typeof p === 'string').join('.');
}

function fieldPath(path: PathSeg[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

const INT_RANGE: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function decodeValue(v: unknown, s: Schema, path: PathSeg[], problems: DecodeProblem[], structName = 'Job'): unknown {
  const typeError = (): undefined => {
    const what = typeof v === 'number' ? `number ${v}` : jsonKind(v);
    const field = path.length ? ` Go struct field ${structName}.${dotted(path)}` : ' Go value';
    problems.push({ path, atKey: false, text: `json: cannot unmarshal ${what} into${field} of type ${goType(s)}` });
    return undefined;
  };
  if (v instanceof Date) v = v.toISOString().replace('.000Z', 'Z'); // YAML 1.1 timestamps are strings to Kubernetes
  switch (s.t) {
    case 'any':
      return v;
    case 'string':
      return typeof v === 'string' ? v : typeError();
    case 'bool':
      return typeof v === 'boolean' ? v : typeError();
    case 'int32':
    case 'int64': {
      if (typeof v === 'bigint') v = Number(v);
      if (typeof v !== 'number' || !Number.isInteger(v)) return typeError();
      const [lo, hi] = INT_RANGE[s.t];
      return v < lo || v > hi ? typeError() : v;
    }
    case 'quantity':
      if (typeof v !== 'string' && typeof v !== 'number') return typeError();
      if (!isQuantity(v)) {
        problems.push({
          path,
          atKey: false,
          text: `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
        });
        return undefined;
      }
      return canonicalQuantity(v); // as the API server stores it: 0.5 → 500m
    case 'intOrString':
      return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v)) ? v : typeError();
    case 'object':
      return isPlainObject(v) ? v : typeError();
    case 'list': {
      if (!Array.isArray(v)) return typeError();
      // Go decodes a null element into the element type's zero value.
      return v.map((item, i) =>
        item === null ? zeroValue(s.item) : decodeValue(item, s.item, [...path, i], problems, structName),
      );
    }
    case 'map': {
      if (!isPlainObject(v)) return typeError();
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(v)) {
        if (val === null) continue;
        out[k] = decodeValue(val, s.value, [...path, k], problems, structName);
      }
      return out;
    }
    case 'struct': {
      if (!isPlainObject(v)) return typeError();
      const fields = s.fields();
      const out: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(v)) {
        const fs = fields[k];
        if (!fs) {
          problems.push({ path: [...path, k], atKey: true, text: `unknown field "${fieldPath([...path, k])}"` });
          continue;
        }
        if (val === null) continue; // null means unset, as in Go
        out[k] = decodeValue(val, fs, [...path, k], problems, s.name);
      }
      return out;
    }
  }
}

function zeroValue(s: Schema): unknown {
  switch (s.t) {
    case 'string':
    case 'quantity':
    case 'intOrString':
      return s.t === 'string' ? '' : undefined;
    case 'int32':
    case 'int64':
      return 0;
    case 'bool':
      return false;
    case 'struct':
    case 'object':
    case 'map':
      return {};
    default:
      return undefined;
  }
}

/** The YAML node at a path, or the key node of its last segment. */
function findNode(doc: Document.Parsed, path: PathSeg[], atKey: boolean): Node | undefined {
  let node: unknown = doc.contents;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return node as Node;
      if (last && atKey) return pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else {
      return node as Node | undefined;
    }
  }
  return node as Node | undefined;
}

/** An apply patch's body: JSON (what kubectl sends) or one YAML document, as an object. */
export function parseApplyBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const docs = parseAllDocuments(text, { version: '1.1' });
    const [doc] = Array.isArray(docs) ? docs : [];
    if (!doc || doc.errors.length) throw new ManifestError(doc?.errors[0]?.message ?? 'an empty apply patch');
    return doc.toJS();
  }
}
