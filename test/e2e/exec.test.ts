// exec, attach, cp and top (issue 19) on the real engine, each beside kubectl 1.32 on the same
// server as the oracle: output, exit codes and errors the same; a terminal (a pty from `script`)
// gets its size; the official Python client execs too; files go both ways, a directory tree
// included; a busy container's CPU shows in `top`, a finished pod has no metrics.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, Home, jobManifest, PODMAN, until } from './harness.js';
import { Kubectl } from './kubectl-harness.js';

const home = new Home('300ms');
const kube = new Kubectl(home);
const work = mkdtempSync(join(tmpdir(), 'jobctl-e2e-cp-'));
const NO_TAR_IMAGE = 'jobctl-e2e-notar:1';
afterAll(async () => {
  await home.cleanup();
  rmSync(work, { recursive: true, force: true });
  if (!PODMAN) await home.docker(['rmi', '-f', NO_TAR_IMAGE]).catch(() => undefined);
});

const container = (name: string, command: string[], extra = '') =>
  `      - name: ${name}\n        image: busybox:1.35\n        command: ${JSON.stringify(command)}\n${extra}`;
const job = (name: string, containers: string, pod = '') =>
  jobManifest(name, '', `${pod}      restartPolicy: Never\n      containers:\n${containers}`);

beforeAll(async () => {
  await kube.connect();
  if (!PODMAN)
    execFileSync('docker', ['build', '--network', 'none', '-q', '-t', NO_TAR_IMAGE, '-'], {
      input: 'FROM busybox:1.35\nRUN rm /bin/tar\n',
      env: home.env,
    });
  const manifests = [
    job('box', container('main', ['sleep', '600']) + container('side', ['sleep', '600'])),
    job('done', container('main', ['true'])),
    job(
      'initwait',
      container('main', ['sleep', '600']),
      `      initContainers:\n${container('setup', ['sleep', '600'])}`,
    ),
    job(
      'ticker',
      container('main', [
        'sh',
        '-c',
        'until [ -e /tmp/go ]; do sleep 0.1; done; for i in 1 2 3 4 5 6; do echo tick $i; sleep 0.3; done',
      ]),
    ),
    job(
      'reader',
      container('main', ['sh', '-c', 'cat; echo read all'], '        stdin: true\n        stdinOnce: true\n'),
    ),
    ...(PODMAN ? [] : [job('notar', container('main', ['sleep', '600']).replace('busybox:1.35', NO_TAR_IMAGE))]),
  ];
  await home.ok(['apply', '-f', '-'], manifests.join('---\n'));
  await home.ok(['wait', '--for=condition=complete', 'job/done', '--timeout=60s']);
  for (const name of ['box', 'reader', 'ticker', ...(PODMAN ? [] : ['notar'])])
    await until(`${name} running`, async () => (await home.podsOf(name))[0]?.status?.phase === 'Running');
  await until('the init container running', async () =>
    Boolean((await home.podsOf('initwait'))[0]?.status?.initContainerStatuses?.[0]?.state?.running),
  );
});

/** jobctl's usage hints name jobctl (and, for a usage error, its --help) where kubectl's name kubectl. */
const asKubectl = (text: string) =>
  text
    .replace(
      /(supported anymore\.[^\n]*\n)See 'jobctl exec --help' for usage\./,
      "$1See 'kubectl exec -h' for help and examples",
    )
    .replace("See 'jobctl ", "See 'kubectl ");

/**
 * Podman 4.3 may add its own line when a process ends before its attach connection is read
 * (whichever client asked): engine noise, not the client's, so left out of the comparison.
 */
const withoutPodmanNoise = (text: string) =>
  PODMAN
    ? text.replace(/^Error: read unixpacket @->\/proc\/self\/fd\/\d+\/attach: read: connection reset by peer\n/gm, '')
    : text;

async function same(args: string[], input?: string): Promise<void> {
  const want = input === undefined ? await kube.run(args) : await kube.runWithInput(args, input);
  const got = await home.jobctl(args, { stdin: input });
  expect(
    { code: got.code, stdout: got.stdout, stderr: withoutPodmanNoise(asKubectl(got.stderr)) },
    args.join(' '),
  ).toEqual({ ...want, stderr: withoutPodmanNoise(want.stderr) });
}

describe('exec', () => {
  it('passes output, errors and exit codes through as kubectl does', async () => {
    for (const args of [
      ['exec', 'job/box', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'],
      ['exec', 'job/box', '-c', 'side', '--', 'sh', '-c', 'echo from side'],
      ['exec', 'job/box', '-q', '--', 'true'],
      ['exec', 'job/box', '--', 'nosuch'],
      ['exec', 'job/box', '-c', 'nope', '--', 'ls'],
      ['exec', 'pod/nope', '--', 'ls'],
      ['exec', 'job/nope', '--', 'ls'],
      ['exec', 'job/box'],
      ['exec', 'job/box', 'ls'],
      ['exec', '--', 'ls'],
      ['exec', 'job/done', '--', 'ls'],
      ['exec', 'job/initwait', '--', 'ls'],
      ['exec', 'job/initwait', '-c', 'setup', '--', 'echo', 'in setup'],
    ])
      await same(args);
    const r = await home.jobctl(['exec', 'job/box', '--', 'sh', '-c', 'exit 3']);
    expect(r).toMatchObject({
      code: 3,
      stderr: 'Defaulted container "main" out of: main, side\ncommand terminated with exit code 3\n',
    });
    expect((await home.jobctl(['exec', 'job/initwait', '--', 'ls'])).stderr).toBe(
      'Defaulted container "main" out of: main, setup (init)\nerror: unable to upgrade connection: container not found ("main")\n',
    );
  });

  it('passes stdin (-i) to the command and ends it, and says when -t has no terminal', async () => {
    await same(['exec', '-i', 'job/box', '-c', 'main', '--', 'sh', '-c', 'wc -l; echo done'], 'a\nb\nc\n');
    await same(['exec', '-it', 'job/box', '-c', 'main', '--', 'cat'], 'plain\n');
    const big = 'x'.repeat(1 << 20);
    const r = await home.jobctl(
      ['exec', '-i', 'pod/' + (await home.podsOf('box'))[0].metadata.name, '-c', 'main', '--', 'wc', '-c'],
      {
        stdin: big,
      },
    );
    expect(r.stdout.trim()).toBe(String(big.length));
  });

  it('gives a terminal its size and passes its exit code (-it)', async () => {
    // `script` runs jobctl on a pty of 123 columns and 45 rows, as a person's terminal would be.
    const inPty = (cmd: string) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        const child = spawn('script', ['-qec', `stty cols 123 rows 45; ${cmd}`, '/dev/null'], { env: home.env });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('close', (code) => resolve({ code: code ?? -1, out }));
        child.stdin.end();
      });
    // (The size comes just after the process starts, as with `docker exec -it` on Engine API 1.41: a
    // command that asks at once may see none yet.)
    const size = await inPty(`${BIN} exec -it job/box -c main -- sh -c 'sleep 1; stty size; tty; exit 4'`);
    expect(size.out).toMatch(/45 123\r*\n\/dev\/pts\/\d+/);
    expect(size.code).toBe(4);
    expect(size.out).toMatch(/command terminated with exit code 4/);
  });

  it('serves the official Python client', async () => {
    // (A pause between the two writes: the engine's stdout and stderr pipes keep no order between them.)
    const script = `
import sys
from kubernetes import client, config
from kubernetes.stream import stream
config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
pod = v1.list_namespaced_pod('default', label_selector='job-name=box').items[0].metadata.name
out = stream(v1.connect_get_namespaced_pod_exec, pod, 'default', container='main',
             command=['sh', '-c', 'echo py-out; sleep 0.3; echo py-err >&2'], stderr=True, stdin=False, stdout=True, tty=False)
print(repr(out))
resp = stream(v1.connect_get_namespaced_pod_exec, pod, 'default', container='main', command=['sh', '-c', 'exit 4'],
              stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
resp.run_forever(timeout=30)
print('rc', resp.returncode)
`;
    const out = execFileSync('/usr/bin/python3', ['-c', script, kube.kubeconfig], { encoding: 'utf8', env: home.env });
    expect(out).toBe("'py-out\\npy-err\\n'\nrc 4\n");
  });
});

describe('port-forward', () => {
  it("is refused in words: by the server to kubectl, and by jobctl, a pod's network being its own loopback", async () => {
    const pod = (await home.podsOf('box'))[0].metadata.name!;
    const k = await kube.run(['port-forward', `pod/${pod}`, '18080:80']);
    expect(k.code).toBe(1);
    expect(k.stderr).toBe(
      "error: error upgrading connection: port-forward is not served by jobctl: a pod's network is its own loopback, with no address to forward to; reach a port from inside the pod (exec POD -- wget -qO- http://127.0.0.1:PORT)\n",
    );
    expect(await home.jobctl(['port-forward', `pod/${pod}`, '18080:80'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "error: jobctl does not port-forward: a pod's network is its own loopback, with no address to forward to; reach a port from inside the pod (jobctl exec POD -- wget -qO- http://127.0.0.1:PORT)\n",
    });
  });
});

describe('attach', () => {
  it("streams a running container's output from now on", async () => {
    const attached = home.background(['attach', 'job/ticker']);
    const ended = new Promise<number>((resolve) => attached.child.on('close', (code) => resolve(code ?? -1)));
    await until('attach to start', async () => /try pressing enter/.test(attached.output()));
    await home.ok(['exec', 'job/ticker', '--', 'touch', '/tmp/go']);
    expect(await ended).toBe(0);
    expect(attached.output()).toMatch(
      /^If you don't see a command prompt, try pressing enter\.\n(tick \d\n)*tick 6\n$/,
    );
  });

  it('writes stdin (-i) to a container that keeps one open, until it ends', async () => {
    const r = await home.jobctl(['attach', '-i', 'job/reader'], { stdin: 'line one\nline two\n' });
    expect(r.code).toBe(0);
    await home.ok(['wait', '--for=condition=complete', 'job/reader', '--timeout=60s']);
    expect(await home.ok(['logs', 'job/reader'])).toBe('line one\nline two\nread all\n');
  });

  it('fails as kubectl does', async () => {
    for (const args of [
      ['attach', 'job/done'],
      ['attach', 'job/box', '-c', 'nope'],
      ['attach', 'a', 'b', 'c'],
      ['attach'],
      ['attach', 'job/nope'],
    ])
      await same(args);
    const r = await home.jobctl(['attach', 'job/box', '-t', '-c', 'main', '--pod-running-timeout=5s'], {
      timeoutMs: 3000,
    });
    expect(r.stderr).toMatch(/^error: Unable to use a TTY - container main did not allocate one\n/);
  });
});

describe('cp', () => {
  const tree = join(work, 'tree');
  mkdirSync(join(tree, 'sub', 'deeper'), { recursive: true });
  mkdirSync(join(tree, 'empty'));
  writeFileSync(join(tree, 'a.txt'), 'alpha\n');
  writeFileSync(join(tree, 'sub', 'big.bin'), Buffer.alloc(300_000, 'z'));
  writeFileSync(join(tree, 'sub', 'deeper', `${'n'.repeat(120)}.txt`), 'long name\n');
  symlinkSync('a.txt', join(tree, 'link'));
  const run = (args: string[]) => home.jobctl(args);

  it('copies a directory into a pod and back, as kubectl does', async () => {
    const pod = (await home.podsOf('box'))[0].metadata.name!;
    const into = await run(['cp', tree, `${pod}:/tmp/`, '-c', 'main']);
    expect(into).toMatchObject({ code: 0, stderr: '' });
    const listing = await home.ok(['exec', pod, '-c', 'main', '--', 'sh', '-c', 'cd /tmp/tree && find . | sort']);
    expect(listing.split('\n')).toEqual(
      expect.arrayContaining(['./a.txt', './empty', './link', './sub/big.bin', `./sub/deeper/${'n'.repeat(120)}.txt`]),
    );
    for (const [tool, dest] of [
      ['jobctl', join(work, 'back-j')],
      ['kubectl', join(work, 'back-k')],
    ]) {
      const args = ['cp', `${pod}:/tmp/tree`, dest, '-c', 'main'];
      const r = tool === 'jobctl' ? await run(args) : await kube.run(args);
      expect(r.code, tool).toBe(0);
      // kubectl stops at the archive's end marker and exits; tar's stderr line, written first but
      // on its own pipe, can reach it after that on a loaded engine. jobctl reads to the end.
      const said = "tar: removing leading '/' from member names\n";
      if (tool === 'jobctl') expect(r.stdout, tool).toBe(said);
      else expect([said, ''], tool).toContain(r.stdout);
      expect(r.stderr.replace('jobctl exec', 'kubectl exec').replace(dest, 'DEST')).toBe(
        `warning: skipping symlink: "DEST/link" -> "a.txt" (consider using "kubectl exec -n "" "${pod}" -- tar cf - "/tmp/tree" | tar xf -")\n`,
      );
    }
    const files = (root: string) =>
      execFileSync('sh', ['-c', `cd '${root}' && find . | sort && cat a.txt sub/deeper/* && wc -c < sub/big.bin`], {
        encoding: 'utf8',
      });
    expect(files(join(work, 'back-j'))).toBe(files(join(work, 'back-k')));
    expect(readFileSync(join(work, 'back-j', 'sub', 'big.bin')).equals(Buffer.alloc(300_000, 'z'))).toBe(true);
  });

  it('copies one file under another name, both ways, and in a named namespace', async () => {
    const pod = (await home.podsOf('box'))[0].metadata.name!;
    await home.ok(['cp', join(tree, 'a.txt'), `default/${pod}:/tmp/renamed.txt`, '-c', 'side']);
    expect(await home.ok(['exec', pod, '-c', 'side', '--', 'cat', '/tmp/renamed.txt'])).toBe('alpha\n');
    await home.ok(['cp', `${pod}:/tmp/renamed.txt`, join(work, 'r.txt'), '-c', 'side']);
    expect(readFileSync(join(work, 'r.txt'), 'utf8')).toBe('alpha\n');
  });

  it('fails as kubectl does', async () => {
    const pod = (await home.podsOf('box'))[0].metadata.name!;
    for (const args of [
      ['cp', join(work, 'nope'), `${pod}:/tmp/`],
      ['cp', `${pod}:/tmp/x`, `${pod}:/tmp/y`],
      ['cp', 'a', 'b'],
      ['cp', 'a'],
      ['cp', ':x', 'y'],
      ['cp', 'a/b/c:x', 'y'],
      ['cp', `${pod}:`, 'y'],
      ['cp', tree, 'nopod:/tmp'],
      // (Podman 4.3 loses tar's message when tar exits before reading its input, reporting its own
      // broken connection instead, for kubectl and jobctl alike: which one sees it is a race.)
      ...(PODMAN ? [] : [['cp', join(tree, 'a.txt'), `${pod}:/nonexistent/dir/f`, '-c', 'main']]),
      ['cp', join(tree, 'a.txt'), `${(await home.podsOf('done'))[0].metadata.name}:/tmp`],
      ...(PODMAN ? [] : [['cp', join(tree, 'a.txt'), `${(await home.podsOf('notar'))[0].metadata.name}:/tmp/`]]),
    ])
      await same(args);
  });

  it('says what the container says of a path it does not have, and fails', async () => {
    // (kubectl 1.32 prints the same, then races its own exit: it may exit 0 before reporting the code.)
    const pod = (await home.podsOf('box'))[0].metadata.name!;
    const r = await run(['cp', `${pod}:/tmp/nothing`, join(work, 'n'), '-c', 'main']);
    expect(r).toEqual({
      code: 1,
      stdout: 'tar: /tmp/nothing: No such file or directory\ntar: error exit delayed from previous errors\n',
      stderr: 'command terminated with exit code 1\n',
    });
  });
});

describe('top pod', () => {
  /** Figures move between two samples: numbers are masked, and the padding with them. */
  const masked = (t: string) => t.replace(/\d+(m|Mi)\b/g, 'N$1').replace(/ +/g, ' ');

  it("shows a busy container's CPU from the engine, and the machine's use as the node's, as kubectl top does", async () => {
    await home.ok(
      ['apply', '-f', '-'],
      job(
        'spin',
        container('busy', ['sh', '-c', 'while :; do :; done'], '        resources: {limits: {cpu: 200m}}\n') +
          container('idle', ['sleep', '600']),
      ),
    );
    await until('spin running', async () => (await home.podsOf('spin'))[0]?.status?.phase === 'Running');
    const pod = (await home.podsOf('spin'))[0].metadata.name!;
    await until('a CPU figure', async () => {
      const r = await home.jobctl(['top', 'pod', pod, '--containers']);
      const busy = /busy +(\d+)m/.exec(r.stdout);
      return busy && Number(busy[1]) >= 100 ? r : undefined;
    });
    for (const args of [
      ['top', 'pod', '-l', 'job-name=spin'],
      ['top', 'pod', pod, '--containers'],
      ['top', 'pod', '-A', '--sort-by=cpu', '--sum'],
      ['top', 'pod', '--containers', '--no-headers', '-l', 'job-name=spin'],
      ['top', 'pod', (await home.podsOf('done'))[0].metadata.name!],
      ['top', 'pod', '-l', 'job-name=nothing'],
      ['top', 'pod', '--sort-by=disk'],
      ['top', 'pod', 'x', '-l', 'a=b'],
    ]) {
      const want = await kube.run(args);
      const got = await home.jobctl(args);
      expect({ code: got.code, stdout: masked(got.stdout), stderr: got.stderr }, args.join(' ')).toEqual({
        code: want.code,
        stdout: masked(want.stdout),
        stderr: want.stderr,
      });
    }
    expect(await home.ok(['top', 'pod', pod, '--containers'])).toMatch(/^POD +NAME +CPU\(cores\) +MEMORY\(bytes\) +\n/);

    // The node is this machine: its use (the spinning container's among it), shares of what it offers.
    const node = (await home.ok(['get', 'nodes', '-o', 'name'])).trim().replace('node/', '');
    for (const args of [
      ['top', 'node'],
      ['top', 'node', node, '--show-capacity'],
      ['top', 'nodes', '--no-headers', '--sort-by=memory'],
      ['top', 'no', '-l', `kubernetes.io/hostname=${node}`],
      ['top', 'node', 'nope'],
      ['top', 'node', '-l', 'x=y'],
      ['top', 'node', '--sort-by=disk'],
      ['top', 'node', 'x', '-l', 'a=b'],
    ]) {
      const want = await kube.run(args);
      const got = await home.jobctl(args);
      const shares = (t: string) => masked(t).replace(/\d+%/g, 'N%');
      expect({ code: got.code, stdout: shares(got.stdout), stderr: got.stderr }, args.join(' ')).toEqual({
        code: want.code,
        stdout: shares(want.stdout),
        stderr: want.stderr,
      });
    }
    const row = /^(\S+) +(\d+)m +(\d+)% +(\d+)Mi +(\d+)% +$/m.exec(await home.ok(['top', 'node']));
    expect(row?.[1]).toBe(node);
    const [cpu, , mem] = row!.slice(2).map(Number);
    const totalMiB = Number(/MemTotal: +(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) / 1024;
    expect(cpu).toBeGreaterThanOrEqual(100); // the busy container alone uses about 200m
    expect(cpu).toBeLessThanOrEqual(availableParallelism() * 1000 + 50);
    expect(mem).toBeGreaterThan(0);
    expect(mem).toBeLessThanOrEqual(totalMiB);
    await home.ok(['delete', 'job', 'spin']);
  });
});

describe('logs --ignore-errors and --max-log-requests', () => {
  it("say a stream's error and go on, and refuse to follow more streams than allowed, as kubectl does", async () => {
    const pod = `pod/${(await home.podsOf('initwait'))[0].metadata.name}`;
    // (jobctl waits up to --pod-running-timeout for a container still being created; kubectl does not.)
    const wait = '--pod-running-timeout=1s';
    for (const args of [
      ['logs', pod, '--all-containers', wait],
      ['logs', pod, '--all-containers', '--ignore-errors', wait],
      ['logs', pod, '-c', 'main', '--ignore-errors', wait],
      ['logs', '-l', 'job-name in (box,initwait)', '--all-containers', '-f', '--max-log-requests=2'],
      ['logs', '-l', 'job-name=box', '-f', '--max-log-requests=x'],
    ])
      await same(args);
    expect((await home.jobctl(['logs', pod, '-c', 'main', '--ignore-errors', wait])).stdout).toBe(
      `error: container "main" in pod "${pod.slice(4)}" is waiting to start: PodInitializing\n`,
    );
  });
});

describe('completion', () => {
  const complete = async (...words: string[]) => (await home.ok(['__complete', ...words])).trimEnd().split('\n');

  it('completes verbs, flags, types and names from the server, and containers for -c', async () => {
    expect(await complete('ex')).toEqual(['exec', 'explain', ':4']);
    expect(await complete('get', 'jo')).toEqual(['jobs', 'job', ':4']);
    expect(await complete('get', 'jobs', 'bo')).toEqual(['box', ':4']);
    expect(await complete('describe', 'job/b')).toEqual(['job/box', ':4']);
    expect(await complete('logs', 'job/in')).toEqual(['job/initwait', ':4']);
    expect(await complete('exec', 'job/box', '-c', '')).toEqual(['main', 'side', ':4']);
    expect(await complete('-n', 'kube-s')).toEqual(['kube-system', ':4']);
    expect(await complete('get', '--show-l')).toEqual(['--show-labels', ':4']);
    expect(await complete('apply', '-f', '')).toEqual([':0']); // file names: the shell's own
    const pod = (await home.podsOf('box'))[0].metadata.name!;
    expect(await complete('top', 'pod', pod.slice(0, 5))).toContain(pod);
    const node = (await home.ok(['get', 'nodes', '-o', 'name'])).trim().replace('node/', '');
    expect(await complete('top', 'node', '')).toEqual([node, ':4']);
    expect(await complete('cp', pod.slice(0, 5))).toContain(`${pod}:`);
  });

  it('gives bash a script that completes through it, and refuses what kubectl refuses', async () => {
    const script = join(work, 'jobctl.bash');
    writeFileSync(script, await home.ok(['completion', 'bash']));
    const inBash = (words: string) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source '${script}'; COMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _jobctl; echo "\${COMPREPLY[@]}"`,
        ],
        { encoding: 'utf8', env: { ...home.env, PATH: `${join(BIN, '..')}:${process.env.PATH}` } },
      ).trim();
    expect(inBash('jobctl get jobs b')).toBe('box');
    expect(inBash('jobctl logs job/ini')).toBe('job/initwait');
    expect(inBash('jobctl exec job/box -c s')).toBe('side');
    for (const shell of ['zsh', 'fish']) expect(await home.ok(['completion', shell])).toMatch(/jobctl __complete/);
    for (const args of [['completion'], ['completion', 'x'], ['completion', 'bash', 'zsh']]) {
      const want = await kube.run(args);
      const got = await home.jobctl(args);
      expect({
        ...got,
        stderr: got.stderr.replace(
          "'jobctl completion --help' for usage.",
          "'kubectl completion -h' for help and examples",
        ),
      }).toEqual(want);
    }
  });
});
