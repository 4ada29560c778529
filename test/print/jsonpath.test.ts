import { describe, expect, it } from 'vitest';
import { jsonPath, JsonPathError } from '../../src/print/jsonpath.js';

const job = {
  metadata: {
    name: 'backup',
    labels: { 'app.kubernetes.io/name': 'db' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Job"}\n' },
  },
  status: { conditions: [{ type: 'Complete' }, { type: 'SuccessCriteriaMet' }] },
};

// What kubectl prints for the same template and object.
describe('-o jsonpath', () => {
  it.each([
    ['{.metadata.name}', 'backup'],
    ['{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}', '{"kind":"Job"}\n'],
    ["{.metadata.labels['app.kubernetes.io/name']}", 'db'],
    ['{.status.conditions[*].type}', 'Complete SuccessCriteriaMet'],
    ['{.status.conditions[-1].type}', 'SuccessCriteriaMet'],
    ['{range .status.conditions[*]}{.type}{"\\n"}{end}', 'Complete\nSuccessCriteriaMet\n'],
    ['name={.metadata.name}', 'name=backup'],
  ])('%s', (template, out) => {
    expect(jsonPath(template, job)).toBe(out);
  });
  it('refuses what kubectl refuses', () => {
    expect(() => jsonPath('{.metadata.name', job)).toThrow(new JsonPathError('unclosed action'));
  });
});
