// Mutates valid manifests a few thousand times; every run must end in success or a clean error,
// never an exception or a stack trace.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { rng } from '../helpers/rng.js';

const SEED_FILES = ['hello-world-job', 'failure-demo', 'parallel-processor', 'race'].map((f) =>
  readFileSync(`fixtures/${f}.yaml`, 'utf8'),
);
const RICH = stringify({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'rich', labels: { app: 'x' }, annotations: { note: 'y' } },
  spec: {
    completionMode: 'Indexed',
    completions: 4,
    parallelism: 2,
    backoffLimitPerIndex: 1,
    maxFailedIndexes: 2,
    ttlSecondsAfterFinished: 10,
    activeDeadlineSeconds: 100,
    podFailurePolicy: {
      rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
      ],
    },
    successPolicy: { rules: [{ succeededIndexes: '0-2', succeededCount: 2 }] },
    template: {
      metadata: { labels: { tier: 'batch' } },
      spec: {
        restartPolicy: 'Never',
        volumes: [
          { name: 'data', emptyDir: { sizeLimit: '10Mi' } },
          { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'a', path: 'a' }] } },
        ],
        initContainers: [{ name: 'init', image: 'busybox:1.35', command: ['sh', '-c', 'true'] }],
        containers: [
          {
            name: 'main',
            image: 'busybox:1.35',
            command: ['sh'],
            args: ['-c', 'echo $JOB_COMPLETION_INDEX'],
            env: [
              { name: 'A', value: '1' },
              { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            ],
            envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
            resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '100m' } },
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
            securityContext: { runAsUser: 1000, readOnlyRootFilesystem: true },
          },
        ],
      },
    },
  },
});
const SEEDS = [...SEED_FILES, RICH];

const RETYPES: unknown[] = [
  'two',
  -1,
  0,
  2147483648,
  1.5,
  true,
  null,
  [],
  {},
  ['x'],
  { a: 1 },
  '',
  '0',
  'Never',
  'Indexed',
  'x'.repeat(300),
];

function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(v))
    v.forEach((x, i) => {
      out.push([...prefix, i]);
      out.push(...paths(x, [...prefix, i]));
    });
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.push([...prefix, k]);
      out.push(...paths(x, [...prefix, k]));
    }
  return out;
}

function mutateObject(text: string, r: () => number): string {
  const obj = parse(text);
  const all = paths(obj);
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n && all.length; i++) {
    const p = all[Math.floor(r() * all.length)];
    let parent: any = obj; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const seg of p.slice(0, -1)) parent = parent?.[seg];
    if (parent === null || typeof parent !== 'object') continue;
    const key = p[p.length - 1];
    const op = Math.floor(r() * 4);
    if (op === 0) {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (op === 1) {
      if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
      else parent[`${String(key)}${r() < 0.5 ? 'x' : ''}`] = structuredClone(parent[key]);
    } else {
      parent[key] = structuredClone(RETYPES[Math.floor(r() * RETYPES.length)]);
    }
  }
  return stringify(obj);
}

function mutateText(text: string, r: () => number): string {
  const op = Math.floor(r() * 4);
  const at = Math.floor(r() * text.length);
  if (op === 0) return text.slice(0, at);
  if (op === 1) {
    const bytes = Array.from({ length: 1 + Math.floor(r() * 8) }, () =>
      String.fromCharCode(Math.floor(r() * 256)),
    ).join('');
    return text.slice(0, at) + bytes + text.slice(at);
  }
  if (op === 2) {
    const lines = text.split('\n');
    const i = Math.floor(r() * lines.length);
    lines.splice(i, 0, lines[i]);
    return lines.join('\n');
  }
  const lines = text.split('\n');
  lines.splice(Math.floor(r() * lines.length), 1);
  return lines.join('\n');
}

const RUNS = 3000;

describe('robustness', () => {
  it(`${RUNS} mutated manifests end in success or a clean error`, async () => {
    const outcomes = { ok: 0, error: 0 };
    const first = Number(process.env.JOBCTL_FUZZ_SEED ?? 1);
    for (let seed = first; seed < first + RUNS; seed++) {
      const r = rng(seed);
      const base = SEEDS[seed % SEEDS.length];
      let text: string;
      try {
        text = r() < 0.6 ? mutateObject(base, r) : mutateText(base, r);
      } catch {
        text = mutateText(base, r);
      }
      const res = await runCli(['apply', '-f', '-', '--dry-run=client', ...(seed % 3 === 0 ? ['-o', 'yaml'] : [])], {
        stdin: text,
      });
      const context = `seed ${seed}:\n${text}\n--- stderr:\n${res.stderr}`;
      expect([0, 1], context).toContain(res.code);
      expect(res.stderr, context).not.toMatch(/internal error|\n\s+at \S+ \(|TypeError|RangeError|ReferenceError/);
      if (res.code === 1) expect(res.stderr.trim().length, context).toBeGreaterThan(0);
      outcomes[res.code === 0 ? 'ok' : 'error']++;
    }
    // The mutations must exercise both paths, or the test proves nothing.
    expect(outcomes.ok).toBeGreaterThan(RUNS / 20);
    expect(outcomes.error).toBeGreaterThan(RUNS / 4);
  }, 180_000);
});
