// Every validation message of reference §1.3–1.5, through the CLI as a user sees it.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';

type Obj = Record<string, unknown>;

function jobYaml(
  mutate: (j: Obj & { spec: Obj & { template: { spec: Obj & { containers: Obj[] } } } }) => void,
  name = 'x',
): string {
  const j = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name } as Obj,
    spec: {
      template: {
        spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] as Obj[], restartPolicy: 'Never' } as Obj & {
          containers: Obj[];
        },
      },
    } as Obj & { template: { spec: Obj & { containers: Obj[] } } },
  };
  mutate(j);
  return stringify(j);
}

const dry = (yaml: string) => runCli(['apply', '-f', '-', '--dry-run=client'], { stdin: yaml });

const idx = (spec: Obj) => (j: { spec: Obj }) =>
  Object.assign(j.spec, { completionMode: 'Indexed', completions: 3, ...spec });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const CASES: [string, string, (j: any) => void, string][] = [
  [
    'missing name',
    '',
    (j) => delete j.metadata.name,
    'metadata.name: Required value: name or generateName is required',
  ],
  [
    'bad name',
    'My_Job',
    () => {},
    `metadata.name: Invalid value: "My_Job": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ],
  [
    'name over 63',
    'a'.repeat(64),
    () => {},
    `spec.template.labels: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`,
  ],
  [
    'indexed pod name',
    'a'.repeat(62),
    idx({ completions: 10 }),
    `metadata.name: Invalid value: "${'a'.repeat(62)}": will not able to create pod with invalid DNS label: ${'a'.repeat(62)}-9`,
  ],
  [
    'restartPolicy unset',
    'x',
    (j) => delete j.spec.template.spec.restartPolicy,
    'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
  ],
  [
    'restartPolicy Always',
    'x',
    (j) => (j.spec.template.spec.restartPolicy = 'Always'),
    'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
  ],
  [
    'restartPolicy Foo',
    'x',
    (j) => (j.spec.template.spec.restartPolicy = 'Foo'),
    'spec.template.spec.restartPolicy: Unsupported value: "Foo": supported values: "OnFailure", "Never"',
  ],
  [
    'negative backoffLimit',
    'x',
    (j) => (j.spec.backoffLimit = -1),
    'spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0',
  ],
  [
    'negative parallelism',
    'x',
    (j) => (j.spec.parallelism = -2),
    'spec.parallelism: Invalid value: -2: must be greater than or equal to 0',
  ],
  [
    'negative completions',
    'x',
    (j) => (j.spec.completions = -1),
    'spec.completions: Invalid value: -1: must be greater than or equal to 0',
  ],
  [
    'negative deadline',
    'x',
    (j) => (j.spec.activeDeadlineSeconds = -5),
    'spec.activeDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0',
  ],
  [
    'negative ttl',
    'x',
    (j) => (j.spec.ttlSecondsAfterFinished = -1),
    'spec.ttlSecondsAfterFinished: Invalid value: -1: must be greater than or equal to 0',
  ],
  [
    'Indexed without completions',
    'x',
    (j) => Object.assign(j.spec, { completionMode: 'Indexed', parallelism: 2 }),
    'spec.completions: Required value: when completion mode is Indexed',
  ],
  [
    'Indexed parallelism cap',
    'x',
    idx({ parallelism: 100001 }),
    'spec.parallelism: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed',
  ],
  [
    'bad completionMode',
    'x',
    (j) => (j.spec.completionMode = 'Sometimes'),
    'spec.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"',
  ],
  [
    'backoffLimitPerIndex not indexed',
    'x',
    (j) => (j.spec.backoffLimitPerIndex = 1),
    'spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode',
  ],
  [
    'maxFailedIndexes without per-index',
    'x',
    idx({ maxFailedIndexes: 1 }),
    'spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified',
  ],
  [
    'maxFailedIndexes over completions',
    'x',
    idx({ completions: 10, backoffLimitPerIndex: 1, maxFailedIndexes: 11 }),
    'spec.maxFailedIndexes: Invalid value: 11: must be less than or equal to completions',
  ],
  [
    'podReplacementPolicy',
    'x',
    (j) => (j.spec.podReplacementPolicy = 'Sometimes'),
    'spec.podReplacementPolicy: Unsupported value: "Sometimes": supported values: "Failed", "TerminatingOrFailed"',
  ],
  [
    'podReplacementPolicy with pfp',
    'x',
    (j) =>
      Object.assign(j.spec, {
        podReplacementPolicy: 'TerminatingOrFailed',
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
      }),
    'spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"',
  ],
  [
    'pfp both',
    'x',
    (j) =>
      (j.spec.podFailurePolicy = {
        rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] }, onPodConditions: [{ type: 'X' }] }],
      }),
    'spec.podFailurePolicy.rules[0]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported',
  ],
  [
    'pfp neither',
    'x',
    (j) => (j.spec.podFailurePolicy = { rules: [{ action: 'Ignore' }] }),
    'spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
  ],
  [
    'pfp action empty',
    'x',
    (j) => (j.spec.podFailurePolicy = { rules: [{ action: '', onExitCodes: { operator: 'In', values: [1] } }] }),
    'spec.podFailurePolicy.rules[0].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]',
  ],
  [
    'pfp FailIndex',
    'x',
    (j) =>
      (j.spec.podFailurePolicy = { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [1] } }] }),
    'spec.podFailurePolicy.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
  ],
  [
    'pfp unordered',
    'x',
    (j) =>
      (j.spec.podFailurePolicy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [3, 2] } }] }),
    'spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Invalid value: 2: must be ordered',
  ],
  [
    'pfp duplicate',
    'x',
    (j) =>
      (j.spec.podFailurePolicy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [3, 3] } }] }),
    'spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Duplicate value: 3',
  ],
  [
    'pfp zero with In',
    'x',
    (j) => (j.spec.podFailurePolicy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0] } }] }),
    'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
  ],
  [
    'pfp containerName',
    'x',
    (j) =>
      (j.spec.podFailurePolicy = {
        rules: [{ action: 'FailJob', onExitCodes: { containerName: 'nope', operator: 'In', values: [1] } }],
      }),
    'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template',
  ],
  [
    'pfp OnFailure',
    'x',
    (j) => {
      j.spec.podFailurePolicy = { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }] };
      j.spec.template.spec.restartPolicy = 'OnFailure';
    },
    'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
  ],
  [
    'successPolicy not indexed',
    'x',
    (j) => (j.spec.successPolicy = { rules: [{ succeededCount: 1 }] }),
    'spec.successPolicy: Invalid value: {"rules":[{"succeededCount":1}]}: requires indexed completion mode',
  ],
  [
    'successPolicy no rules',
    'x',
    idx({ successPolicy: { rules: [] } }),
    'spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is specified',
  ],
  [
    'successPolicy empty rule',
    'x',
    idx({ successPolicy: { rules: [{}] } }),
    'spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified',
  ],
  [
    'successPolicy count',
    'x',
    idx({ successPolicy: { rules: [{ succeededCount: 5 }] } }),
    'spec.successPolicy.rules[0].succeededCount: Invalid value: 5: must be less than or equal to 3 (the number of specified completions)',
  ],
  [
    'successPolicy indexes',
    'x',
    idx({ successPolicy: { rules: [{ succeededIndexes: '0,7' }] } }),
    'spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0,7": error parsing succeededIndexes: too large index: "7"',
  ],
  [
    'no containers',
    'x',
    (j) => (j.spec.template.spec.containers = []),
    'spec.template.spec.containers: Required value',
  ],
  [
    'container name missing',
    'x',
    (j) => delete j.spec.template.spec.containers[0].name,
    'spec.template.spec.containers[0].name: Required value',
  ],
  [
    'container name invalid',
    'x',
    (j) => (j.spec.template.spec.containers[0].name = 'My_C'),
    `spec.template.spec.containers[0].name: Invalid value: "My_C": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
  ],
  [
    'duplicate across init',
    'x',
    (j) => (j.spec.template.spec.initContainers = [{ name: 'c', image: 'b' }]),
    'spec.template.spec.containers[0].name: Duplicate value: "c"',
  ],
  [
    'image missing',
    'x',
    (j) => delete j.spec.template.spec.containers[0].image,
    'spec.template.spec.containers[0].image: Required value',
  ],
  [
    'env name',
    'x',
    (j) => (j.spec.template.spec.containers[0].env = [{ name: 'A=B', value: '1' }]),
    `spec.template.spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
  ],
  [
    'requests above limits',
    'x',
    (j) => (j.spec.template.spec.containers[0].resources = { limits: { cpu: '1' }, requests: { cpu: '2' } }),
    'spec.template.spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
  ],
  [
    'negative quantity',
    'x',
    (j) => (j.spec.template.spec.containers[0].resources = { limits: { memory: '-1' } }),
    'spec.template.spec.containers[0].resources.limits[memory]: Invalid value: "-1": must be greater than or equal to 0',
  ],
  [
    'mount without volume',
    'x',
    (j) => (j.spec.template.spec.containers[0].volumeMounts = [{ name: 'data', mountPath: '/d' }]),
    'spec.template.spec.containers[0].volumeMounts[0].name: Not found: "data"',
  ],
  [
    'managedBy not a path',
    'x',
    (j) => (j.spec.managedBy = 'controller'),
    'spec.managedBy: Invalid value: "controller": must be a domain-prefixed path (such as "acme.io/foo")',
  ],
  [
    'managedBy empty path',
    'x',
    (j) => (j.spec.managedBy = 'example.com/'),
    'spec.managedBy: Invalid value: "example.com/": must be a domain-prefixed path (such as "acme.io/foo")',
  ],
  [
    'managedBy bad domain',
    'x',
    (j) => (j.spec.managedBy = 'Example.com/ctl'),
    `spec.managedBy: Invalid value: "Example.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ],
  [
    'managedBy bad path',
    'x',
    (j) => (j.spec.managedBy = 'example.com/my controller'),
    `spec.managedBy: Invalid value: "my controller": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')`,
  ],
  [
    'managedBy too long',
    'x',
    (j) => (j.spec.managedBy = `example.com/${'a'.repeat(52)}`),
    'spec.managedBy: Too long: may not be more than 63 bytes',
  ],
  [
    'selector not generated',
    'x',
    (j) => (j.spec.selector = { matchLabels: { app: 'x' } }),
    'spec.selector: Invalid value: {"matchLabels":{"app":"x"}}: `selector` not auto-generated',
  ],
];

describe('validation messages (reference §1.3–1.4)', () => {
  it.each(CASES)('%s', async (_title, name, mutate, message) => {
    const r = await dry(jobYaml(mutate, name));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`The Job "${name}" is invalid: `);
    const lines = r.stderr.split('\n');
    const first = lines.find((l) => l.startsWith('The Job'))!;
    const rendered = first.endsWith('invalid: ')
      ? lines.filter((l) => l.startsWith('* ')).map((l) => l.slice(2))
      : [first.slice(`The Job "${name}" is invalid: `.length)];
    expect(rendered).toContain(message);
  });

  it('one cause prints on one line', async () => {
    const r = await runCli(['apply', '-f', 'fixtures/invalid/restart-policy-missing.yaml', '--dry-run=client']);
    expect(r.stderr).toBe(
      'The Job "hello-bad" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"\n',
    );
    expect(r.code).toBe(1);
  });

  it('several causes print as a list after a trailing space', async () => {
    const r = await runCli(['apply', '-f', 'fixtures/invalid/several-errors.yaml', '--dry-run=client']);
    expect(r.stderr).toBe(
      'The Job "several" is invalid: \n' +
        '* spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0\n' +
        '* spec.template.spec.containers[0].image: Required value\n' +
        '* spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"\n',
    );
  });

  it('a valid job draws no error', async () => {
    const r = await dry(jobYaml((j) => (j.spec.ttlSecondsAfterFinished = 60)));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('job.batch/x created (dry run)\n');
  });
});

describe('ConfigMap and Secret', () => {
  it('accepts and validates them', async () => {
    const ok = await dry(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a.txt: hello}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {password: hunter2}\n',
    );
    expect(ok.stdout).toBe('configmap/cfg created (dry run)\nsecret/s created (dry run)\n');
    const bad = await dry('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {"a b": hello}\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      `The ConfigMap "cfg" is invalid: data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters`,
    );
    const badSecret = await dry('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {k: "not base64!"}\n');
    expect(badSecret.stderr).toContain('data[k]: Invalid value: "<secret contents redacted>": illegal base64 data');
  });
});
