// `-o go-template` (print/go-template.ts) on a fixed object: Go's printing of decoded JSON, the
// actions and functions of the common subset, trim markers, and errors in Go's words (the e2e
// suite checks the same templates against kubectl itself).
import { describe, expect, it } from 'vitest';
import { GoTemplateError, parseGoTemplate } from '../../src/print/go-template.js';

const job = {
  kind: 'Job',
  metadata: { name: 'x', labels: { app: 'a', 'job-name': 'x' } },
  spec: { parallelism: 2, activeDeadlineSeconds: 1000000, ratio: 0.5 },
  status: { conditions: [{ type: 'Complete', status: 'True' }], succeeded: 1 },
  items: [{ n: 'a' }, { n: 'b' }],
};
const run = (t: string, data: unknown = job) => parseGoTemplate(t)(data);

describe('go-template', () => {
  it.each([
    ['{{.metadata.name}} {{.spec.parallelism}} {{.spec.activeDeadlineSeconds}} {{.spec.ratio}}', 'x 2 1e+06 0.5'],
    ['{{.metadata.labels}} {{.items}}', 'map[app:a job-name:x] [map[n:a] map[n:b]]'],
    ['{{.metadata.nope}}|{{.nope.deeper}}', '<no value>|<no value>'],
    ['{{range $i, $e := .items}}{{$i}}={{$e.n}};{{end}}', '0=a;1=b;'],
    ['{{range .nothing}}x{{else}}none{{end}}', 'none'],
    ['{{if .status.failed}}F{{else if .status.succeeded}}S{{else}}R{{end}}', 'S'],
    ['{{with .metadata.labels}}{{index . "job-name"}}{{end}}', 'x'],
    ['{{len .items}} {{1000000}} {{index .items 1 | printf "%v"}}', '2 1000000 map[n:b]'],
    ['{{printf "%s=%d %q" .metadata.name .spec.parallelism .kind}}', 'x=2 "Job"'],
    ['{{- range .status.conditions }} {{ .type }}={{ .status }} {{- end }}!', ' Complete=True!'],
    ['{{$n := .metadata.name}}{{$n}}/{{$.kind}}', 'x/Job'],
    ['{{(index .items 0).n}} {{not false}} {{and 1 0}} {{or 0 "y"}}', 'a true 0 y'],
    [
      '{{eq .kind "Job" "Pod"}} {{ne .spec.parallelism 2}} {{lt .spec.parallelism 3}} {{ge 1.5 1}}',
      'true false true true',
    ],
    ['{{exists . "metadata" "labels"}} {{exists . "nope"}} {{base64decode "aGk="}}', 'true false hi'],
  ])('%s', (template, want) => {
    expect(run(template)).toBe(want);
  });

  it("fails as Go's template package does", () => {
    const fails = (t: string) => {
      try {
        run(t);
      } catch (e) {
        expect(e).toBeInstanceOf(GoTemplateError);
        return (e as Error).message;
      }
      throw new Error(`${t} did not fail`);
    };
    expect(fails('{{.x')).toBe('template: output:1: unclosed action');
    expect(fails('{{nofunc .x}}')).toBe('template: output:1: function "nofunc" not defined');
    expect(fails('{{.metadata.name.x}}')).toBe(
      'template: output:1:11: executing "output" at <.metadata.name.x>: can\'t evaluate field x in type interface {}',
    );
    expect(fails('a {{len 3}}')).toBe(
      'template: output:1:4: executing "output" at <len 3>: error calling len: len of type int',
    );
    expect(fails('{{range 3}}x{{end}}')).toBe(
      'template: output:1:8: executing "output" at <3>: range can\'t iterate over 3',
    );
    expect(fails('{{eq .kind 1}}')).toMatch(/error calling eq: incompatible types for comparison$/);
    expect(fails('{{if .x}}')).toMatch(/unexpected EOF/);
  });
});
