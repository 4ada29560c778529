// `jobctl config view` against its oracle, the stock kubectl 1.32 (`config view`), on the same
// kubeconfig files, environment and flags: several files merged, a missing one, the first file
// winning an entry and the current context, data and file credentials redacted or raw, exec
// plugins (v1 and v1beta1 defaults), auth providers, contexts with namespaces, --minify, and
// broken files. kubectl missing fails the test (findKubectl), never skips it.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findKubectl } from '../e2e/kubectl-harness.js';
import { tempDir } from '../helpers/temp.js';

const KUBECTL = findKubectl();
const JOBCTL = resolve('bin/jobctl');
const F = resolve('fixtures/kubeconfig');
const home = tempDir('jobctl-kubeconfig-'); // removed when the file ends (helpers/temp.ts)

async function run(bin: string, args: string[], env: Record<string, string>) {
  try {
    const r = await promisify(execFile)(bin, args, { env: { PATH: process.env.PATH ?? '', HOME: home, ...env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

const merged = { KUBECONFIG: `${F}/team/config:${F}/missing:${F}/shared/config` };
const CASES: { what: string; args: string[]; env?: Record<string, string> }[] = [
  { what: 'three files merged, raw', args: ['--raw', '-o', 'json'], env: merged },
  { what: 'merged, secrets redacted', args: ['-o', 'json'], env: merged },
  { what: 'merged, as YAML', args: [], env: merged },
  { what: 'minified to the current context', args: ['--minify', '--raw', '-o', 'json'], env: merged },
  { what: 'minified to another context', args: ['--minify', '--context', 'other', '-o', 'json'], env: merged },
  { what: '--context without --minify', args: ['--context', 'other', '-o', 'json'], env: merged },
  {
    what: 'the other order: the other file wins',
    args: ['--raw', '-o', 'json'],
    env: { KUBECONFIG: `${F}/shared/config::${F}/team/config` },
  },
  { what: 'exec v1beta1, auth provider, proxy', args: ['--kubeconfig', `${F}/plugins.yaml`, '--raw', '-o', 'json'] },
  { what: 'the same as YAML, redacted', args: ['--kubeconfig', `${F}/plugins.yaml`] },
  { what: 'exec v1 (no default mode)', args: ['--kubeconfig', `${F}/plugins-v1.yaml`, '-o', 'json'] },
  { what: 'an empty config', args: ['--kubeconfig', `${F}/empty.yaml`, '-o', 'json'] },
  { what: 'an empty config as YAML', args: ['--kubeconfig', `${F}/empty.yaml`] },
  { what: 'a missing --kubeconfig', args: ['--kubeconfig', `${F}/none`, '-o', 'json'] },
  { what: 'minify without a current context', args: ['--kubeconfig', `${F}/empty.yaml`, '--minify'] },
  { what: 'minify to an unknown context', args: ['--minify', '--context', 'ghost'], env: merged },
  { what: '~/.kube/config by default', args: ['--minify', '--raw', '-o', 'json'] },
];

describe('jobctl config view prints what kubectl config view prints', () => {
  mkdirSync(join(home, '.kube'), { recursive: true });
  copyFileSync(`${F}/plugins.yaml`, join(home, '.kube', 'config'));

  for (const c of CASES) {
    it(c.what, async () => {
      const args = ['config', 'view', ...c.args];
      const [theirs, ours] = await Promise.all([run(KUBECTL, args, c.env ?? {}), run(JOBCTL, args, c.env ?? {})]);
      expect(ours).toEqual(theirs);
    });
  }

  it('a broken file: the same refusal (a YAML error in its own parser’s words)', async () => {
    const dup = ['config', 'view', '--kubeconfig', `${F}/duplicate.yaml`];
    const [theirs, ours] = await Promise.all([run(KUBECTL, dup, {}), run(JOBCTL, dup, {})]);
    expect(ours.code).toBe(theirs.code);
    expect(ours.stderr).toBe(
      `error: error loading config file "${F}/duplicate.yaml": error converting *[]NamedAuthInfo into *map[string]*api.AuthInfo: duplicate name "twice" in list\n`,
    );
    expect(theirs.stderr.startsWith(ours.stderr.trimEnd())).toBe(true);
    const bad = ['config', 'view', '--kubeconfig', `${F}/not-yaml.yaml`];
    const [k, j] = await Promise.all([run(KUBECTL, bad, {}), run(JOBCTL, bad, {})]);
    const prefix = `error: error loading config file "${F}/not-yaml.yaml": `;
    expect([j.code, j.stderr.startsWith(prefix), j.stdout]).toEqual([k.code, k.stderr.startsWith(prefix), k.stdout]);
  });
});
