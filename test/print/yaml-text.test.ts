// -o yaml quotes strings as kubectl's YAML (go-yaml) does; checked against kubectl itself in
// test/e2e/kubectl-events.test.ts.
import { describe, expect, it } from 'vitest';
import { yamlText } from '../../src/print/yaml-text.js';

describe('yamlText', () => {
  it('quotes as go-yaml: \'single\' where plain cannot be, "double" for what reads as another type', () => {
    expect(
      yamlText({
        message: 'Created container: c',
        quote: "it's: here",
        plain: "it's fine",
        count: '1',
        flag: 'true',
        no: 'n',
        empty: '',
        time: '2026-11-30T22:00:00Z',
        dash: '- x',
        list: ['a: b'],
        text: 'one\ntwo\n',
        n: 7,
      }),
    ).toBe(
      [
        "message: 'Created container: c'",
        "quote: 'it''s: here'",
        "plain: it's fine",
        'count: "1"',
        'flag: "true"',
        '"no": "n"',
        'empty: ""',
        'time: "2026-11-30T22:00:00Z"',
        "dash: '- x'",
        'list:',
        "- 'a: b'",
        'text: |',
        '  one',
        '  two',
        '"n": 7',
        '',
      ].join('\n'),
    );
  });
});
