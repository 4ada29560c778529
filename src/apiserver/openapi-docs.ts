// The component schemas of the OpenAPI v3 documents, as Kubernetes publishes them: one schema per
// type, named by its Go package (`io.k8s.api.batch.v1.JobSpec`), its fields as properties that
// point at other types through `allOf: [{$ref}]`, with the descriptions written for jobctl in
// the openapi-docs-* files. The shapes come from the schemas the server decodes with
// (api/schema.ts), so what `explain` shows is what the server accepts.
import { configMapSchema, jobSchema, namespaceSchema, secretSchema, type Schema } from '../api/schema.js';
import { eventSchema, nodeSchema, podSchema } from '../api/schema-served.js';
import type { Resource } from '../api/index.js';
import { BATCH_DOCS, META_DOCS } from './openapi-docs-batch.js';
import { CORE_DOCS } from './openapi-docs-core.js';
import { POD_SPEC_DOCS, VOLUME_DOCS } from './openapi-docs-pod.js';

/** What `explain` says of a type: itself, each field, which fields must be set, and closed value sets. */
export interface TypeDoc {
  doc: string;
  fields: Record<string, string>;
  required?: readonly string[];
  enums?: Record<string, readonly string[]>;
}
export type Docs = Record<string, TypeDoc>;

export const TYPE_DOCS: Docs = { ...META_DOCS, ...BATCH_DOCS, ...POD_SPEC_DOCS, ...VOLUME_DOCS, ...CORE_DOCS };

/** The root schema of each kind the server serves. */
export const KIND_SCHEMAS: Record<string, Schema> = {
  Job: jobSchema,
  Pod: podSchema,
  Event: eventSchema,
  ConfigMap: configMapSchema,
  Secret: secretSchema,
  Namespace: namespaceSchema,
  Node: nodeSchema,
};

const META_PACKAGE = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const PACKAGES: Record<string, string> = {
  ...Object.fromEntries(Object.keys(META_DOCS).map((n) => [n, META_PACKAGE])),
  ...Object.fromEntries(Object.keys(BATCH_DOCS).map((n) => [n, 'io.k8s.api.batch.v1'])),
  Time: META_PACKAGE,
  MicroTime: META_PACKAGE,
  Quantity: 'io.k8s.apimachinery.pkg.api.resource',
  IntOrString: 'io.k8s.apimachinery.pkg.util.intstr',
};
const fullName = (type: string) => `${PACKAGES[type] ?? 'io.k8s.api.core.v1'}.${type}`;
const ref = (type: string) => ({ $ref: `#/components/schemas/${fullName(type)}` });

/** The types that are not objects, with what they hold (as Kubernetes' documents give them). */
const SCALARS: Record<string, object> = {
  Quantity: {
    description:
      'An amount of a resource, as a number with an optional suffix: `500m` (half a cpu), `2` (two cpus), `128Mi` (binary: Ki, Mi, Gi, Ti), `1G` (decimal: k, M, G, T). Written back in its canonical form.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
  Time: {
    description: 'A moment in time, written in UTC as RFC 3339 to the second: `2026-12-01T05:14:21Z`.',
    type: 'string',
    format: 'date-time',
  },
  MicroTime: {
    description: 'A moment in time to the microsecond, written in UTC as RFC 3339: `2026-12-01T05:14:21.123456Z`.',
    type: 'string',
    format: 'date-time',
  },
  IntOrString: {
    description: 'A number or a string, such as a port given by number or by name.',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  },
};

/** The type a schema names, where it is a type of its own (a struct or a scalar type). */
function typeName(s: Schema): string | undefined {
  if (s.t === 'struct') return s.name;
  if (s.t === 'quantity') return 'Quantity';
  if (s.t === 'intOrString') return 'IntOrString';
  if (s.t === 'any') return s.as;
  return undefined;
}

/** A schema standing alone: a list's item or a map's value. */
function element(s: Schema, found: Map<string, Schema>): object {
  const name = typeName(s);
  if (name) {
    found.set(name, found.get(name) ?? s);
    return s.t === 'struct' ? { allOf: [ref(name)], default: {} } : ref(name);
  }
  switch (s.t) {
    case 'string':
      return { type: 'string', default: '' };
    case 'int32':
    case 'int64':
      return { type: 'integer', format: s.t, default: 0 };
    case 'bool':
      return { type: 'boolean', default: false };
    case 'list':
      return { type: 'array', items: element(s.item, found) };
    case 'map':
      return { type: 'object', additionalProperties: element(s.value, found) };
    default:
      return { type: 'object' };
  }
}

/** A field: its shape, described. A field of a type of its own refers to it through `allOf`. */
function property(
  s: Schema,
  description: string | undefined,
  values: readonly string[] | undefined,
  found: Map<string, Schema>,
) {
  const shape = element(s, found);
  const wrapped = '$ref' in shape ? { allOf: [shape] } : shape;
  return { ...wrapped, ...(description ? { description } : {}), ...(values ? { enum: values } : {}) };
}

function component(name: string, s: Schema, found: Map<string, Schema>, gvk?: object): object {
  if (s.t !== 'struct') return SCALARS[name];
  const doc = TYPE_DOCS[name];
  const fields = s.fields();
  return {
    ...(doc ? { description: doc.doc } : {}),
    type: 'object',
    ...(doc?.required ? { required: doc.required } : {}),
    properties: Object.fromEntries(
      Object.entries(fields).map(([f, fs]) => [f, property(fs, doc?.fields[f], doc?.enums?.[f], found)]),
    ),
    ...(gvk ? { 'x-kubernetes-group-version-kind': [gvk] } : {}),
  };
}

/** The component schemas of a group version's document: its kinds and every type they use. */
export function componentSchemas(rows: readonly Resource[]): Record<string, object> {
  const found = new Map<string, Schema>();
  const schemas: Record<string, object> = {};
  const kinds = new Map<string, object>();
  for (const r of rows) {
    const root = KIND_SCHEMAS[r.kind];
    if (!root) continue;
    found.set(r.kind, root);
    kinds.set(r.kind, { group: r.group, kind: r.kind, version: r.version });
  }
  const done = new Set<string>();
  for (let more = true; more;) {
    more = false;
    for (const [name, s] of [...found]) {
      if (done.has(name)) continue;
      done.add(name);
      more = true;
      schemas[fullName(name)] = component(name, s, found, kinds.get(name));
    }
  }
  return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
