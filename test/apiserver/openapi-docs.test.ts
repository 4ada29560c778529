// The OpenAPI documents `explain` reads: every kind the server serves has a schema tagged with its
// group, version and kind; every type and field in them has a description; and every description
// written belongs to a field the server's schemas have (none left behind when a field goes).
import { describe, expect, it } from 'vitest';
import { RESOURCE_TABLE } from '../../src/api/index.js';
import { structOf, type Schema } from '../../src/api/schema.js';
import { NO_EFFECT_POD_FIELDS } from '../../src/api/warnings.js';
import { KIND_SCHEMAS, TYPE_DOCS } from '../../src/apiserver/openapi-docs.js';
import { openapiDocument, openapiIndex } from '../../src/apiserver/openapi.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reading JSON documents
type Json = Record<string, any>;
const documents = Object.keys((openapiIndex() as Json).paths).map((p) => JSON.parse(openapiDocument(p)!) as Json);

describe('OpenAPI component schemas', () => {
  it("tag each served kind's schema with its group, version and kind", () => {
    for (const r of RESOURCE_TABLE) {
      const tagged = documents.flatMap((d) =>
        Object.values(d.components.schemas as Json).filter((s: Json) =>
          (s['x-kubernetes-group-version-kind'] ?? []).some(
            (g: Json) => g.group === r.group && g.version === r.version && g.kind === r.kind,
          ),
        ),
      );
      expect(tagged, r.kind).toHaveLength(1);
    }
  });

  it('describe every type and every field, and resolve every $ref', () => {
    const missing: string[] = [];
    for (const d of documents) {
      const schemas = d.components.schemas as Json;
      const refs = JSON.stringify(d).match(/#\/components\/schemas\/[\w.]+/g) ?? [];
      for (const r of refs) if (!schemas[r.split('/').at(-1)!]) missing.push(`unresolved ${r}`);
      for (const [name, s] of Object.entries(schemas)) {
        if (!s.description) missing.push(name);
        for (const [field, p] of Object.entries((s.properties ?? {}) as Json))
          if (!p.description) missing.push(`${name}.${field}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('have no description for a type or field the schemas do not have', () => {
    const fields = new Map<string, Set<string>>();
    const walk = (s: Schema | undefined): void => {
      if (!s) return;
      if (s.t === 'list') return walk(s.item);
      if (s.t === 'map') return walk(s.value);
      const struct = structOf(s);
      if (!struct || fields.has(struct.name)) return;
      fields.set(struct.name, new Set(Object.keys(struct.fields)));
      Object.values(struct.fields).forEach(walk);
    };
    Object.values(KIND_SCHEMAS).forEach(walk);
    const stale = Object.entries(TYPE_DOCS).flatMap(([type, doc]) =>
      !fields.has(type)
        ? [type]
        : [
            ...Object.keys(doc.fields).filter((f) => !fields.get(type)!.has(f)),
            ...(doc.required ?? []).filter((f) => !fields.get(type)!.has(f)),
            ...Object.keys(doc.enums ?? {}).filter((f) => !fields.get(type)!.has(f)),
          ].map((f) => `${type}.${f}`),
    );
    expect(stale).toEqual([]);
  });

  it('say which pod fields the server warns about at apply: exactly those it warns about', () => {
    const said = Object.entries(TYPE_DOCS.PodSpec.fields).filter(([, text]) => text.includes('warns at apply'));
    expect(said.map(([field]) => field).sort()).toEqual([...NO_EFFECT_POD_FIELDS].sort());
  });
});
