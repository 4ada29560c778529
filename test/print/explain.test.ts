// `explain`'s page (print/explain.ts) on small OpenAPI documents: go-wordwrap's wrapping, the
// kind found through the resource's paths, field paths through properties, arrays, maps and
// allOf, required fields and enums, a self-referring type listed once with --recursive, and
// kubectl's errors with what it printed before them. (The page for jobctl's own documents is
// compared with kubectl's in test/e2e/kubectl-more-verbs.test.ts.)
import { describe, expect, it } from 'vitest';
import { ExplainError, renderExplain, wrap } from '../../src/print/explain.js';

describe("explain's word wrap, as go-wordwrap's", () => {
  it.each([
    ['foo bar baz', 7, 'foo bar\nbaz'],
    ['aaa   bbb', 4, 'aaa\nbbb'],
    ['a verylongword b', 5, 'a\nverylongword\nb'],
    ['ab\ncd ef', 5, 'ab\ncd ef'],
    ['ends with a break\n', 76, 'ends with a break\n'],
  ])('wraps %j at %i', (text, limit, want) => {
    expect(wrap(limit, text)).toBe(want);
  });
});

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const doc = {
  paths: {
    '/apis/toys.example/v1/namespaces/{namespace}/widgets/{name}': {
      get: { 'x-kubernetes-group-version-kind': { group: 'toys.example', kind: 'Widget', version: 'v1' } },
    },
  },
  components: {
    schemas: {
      'example.Widget': {
        description: 'A widget.',
        type: 'object',
        required: ['spec'],
        properties: {
          spec: { allOf: [ref('example.WidgetSpec')], description: 'What it does.' },
          tags: { type: 'object', additionalProperties: { type: 'string' }, description: 'Its tags.' },
        },
        'x-kubernetes-group-version-kind': [{ group: 'toys.example', kind: 'Widget', version: 'v1' }],
      },
      'example.WidgetSpec': {
        description: 'How a widget works.',
        type: 'object',
        properties: {
          colour: { type: 'string', enum: ['', 'blue', 'green', 'red', 'white', 'yellow'] },
          parts: { type: 'array', items: { allOf: [ref('example.WidgetSpec')] }, description: 'Widgets within.' },
          size: { allOf: [ref('example.Quantity')] },
        },
      },
      'example.Quantity': { description: 'An amount.', oneOf: [{ type: 'string' }, { type: 'number' }] },
    },
  },
};
const req = { group: 'toys.example', version: 'v1', resource: 'widgets', fieldPath: [], recursive: false };
const HEADER = 'GROUP:      toys.example\nKIND:       Widget\nVERSION:    v1\n\n';

describe('explain page', () => {
  it("lists a kind's fields in key order, with their types, -required- and descriptions", () => {
    expect(renderExplain(doc, req)).toBe(
      HEADER +
        'DESCRIPTION:\n    A widget.\n    \n' +
        'FIELDS:\n' +
        '  spec\t<WidgetSpec> -required-\n    What it does.\n\n' +
        '  tags\t<map[string]string>\n    Its tags.\n\n\n',
    );
  });

  it('follows a field path through allOf and array items, with the long enum', () => {
    const page = renderExplain(doc, { ...req, fieldPath: ['spec', 'parts', 'colour'] });
    expect(page).toBe(
      HEADER +
        'FIELD: colour <string>\nENUM:\n    ""\n    blue\n    green\n    red\n    white\n    yellow\n\n' +
        'DESCRIPTION:\n    <empty>\n\n',
    );
  });

  it('--recursive: names only, a short enum cut after four, a self-referring type once', () => {
    expect(renderExplain(doc, { ...req, fieldPath: ['spec'], recursive: true })).toBe(
      HEADER +
        'FIELD: spec <WidgetSpec>\n\n\n' +
        'DESCRIPTION:\n    What it does.\n    How a widget works.\n    \n' +
        'FIELDS:\n' +
        '  colour\t<string>\n  enum: "", blue, green, red, ....\n' +
        '  parts\t<[]WidgetSpec>\n' +
        '  size\t<Quantity>\n\n',
    );
  });

  it('fails as kubectl does, after the header it has printed', () => {
    const failure = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof ExplainError ? { message: e.message, printed: e.printed } : e;
      }
      return undefined;
    };
    expect(failure(() => renderExplain(doc, { ...req, fieldPath: ['spec', 'nothing'] }))).toEqual({
      message: 'field "nothing" does not exist',
      printed: HEADER,
    });
    expect(failure(() => renderExplain(doc, { ...req, resource: 'gadgets' }))).toEqual({
      message: 'GVR (toys.example/v1, Resource=gadgets) not found in OpenAPI schema',
      printed: '',
    });
    const noSchemas = { ...doc, components: { schemas: {} } };
    expect(failure(() => renderExplain(noSchemas, req))).toEqual({
      message: 'GVK map[group:toys.example kind:Widget version:v1] not found in OpenAPI schema',
      printed: HEADER,
    });
  });
});
