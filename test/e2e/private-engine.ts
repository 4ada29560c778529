// A Docker engine of a test's own: dockerd with its own socket, data root and exec root (and the
// containerd it starts), listening on 127.0.0.1 over TLS with certificates the test made, if asked;
// stopped and started again at will without touching the machine's engine. The images come from
// the machine's engine (`docker save | docker load`). An sshd on 127.0.0.1 with a key the test
// made, for the ssh:// path. Everything a test starts here, it removes.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './harness.js';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** SIGTERM, then waits up to `ms` for it to exit (a process already gone: nothing to do). */
async function terminate(proc: ChildProcess | undefined, ms: number): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill('SIGTERM');
  await Promise.race([exited, sleep(ms)]);
}

const sh = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  execFileSync(cmd, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A CA, a server certificate for 127.0.0.1 and a client certificate, as `docker`'s TLS guide makes them. */
export function makeCerts(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const o = (...a: string[]) => sh('openssl', a);
  const p = (f: string) => join(dir, f);
  o(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=test CA',
    '-keyout',
    p('ca-key.pem'),
    '-out',
    p('ca.pem'),
  );
  const leaf = (name: string, ext: string) => {
    o(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      p(`${name}-key.pem`),
      '-out',
      p(`${name}.csr`),
    );
    writeFileSync(p(`${name}.ext`), ext);
    o(
      'x509',
      '-req',
      '-in',
      p(`${name}.csr`),
      '-CA',
      p('ca.pem'),
      '-CAkey',
      p('ca-key.pem'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      p(`${name}.ext`),
      '-out',
      p(`${name}.pem`),
    );
  };
  leaf('server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  leaf('client', 'extendedKeyUsage=clientAuth\n');
  // The docker CLI's names in DOCKER_CERT_PATH: ca.pem, cert.pem, key.pem.
  writeFileSync(p('cert.pem'), readFileSync(p('client.pem')));
  writeFileSync(p('key.pem'), readFileSync(p('client-key.pem')));
}

export class PrivateDockerd {
  readonly dir = mkdtempSync(join(tmpdir(), 'jobctl-engine-'));
  readonly socket = join(this.dir, 'docker.sock');
  readonly certs = join(this.dir, 'certs');
  tcpPort?: number;
  private proc?: ChildProcess;
  private log = '';

  /** `DOCKER_HOST` for its socket. */
  get host(): string {
    return `unix://${this.socket}`;
  }

  /** Starts it; with `tls`, it also listens on 127.0.0.1 with `--tlsverify` and the test's certificates. */
  async start(opts: { tls?: boolean } = {}): Promise<void> {
    if (opts.tls && !this.tcpPort) {
      makeCerts(this.certs);
      this.tcpPort = await freePort();
    }
    writeFileSync(join(this.dir, 'daemon.json'), '{}');
    const c = (f: string) => join(this.certs, f);
    const args = [
      '--config-file',
      join(this.dir, 'daemon.json'),
      '--data-root',
      join(this.dir, 'data'),
      '--exec-root',
      join(this.dir, 'exec'),
      '--pidfile',
      join(this.dir, 'docker.pid'),
      '--bridge=none',
      '--iptables=false',
      '--ip6tables=false',
      '-H',
      this.host,
      ...(this.tcpPort
        ? [
            '-H',
            `tcp://127.0.0.1:${this.tcpPort}`,
            '--tlsverify',
            '--tlscacert',
            c('ca.pem'),
            '--tlscert',
            c('server.pem'),
            '--tlskey',
            c('server-key.pem'),
          ]
        : []),
    ];
    const proc = spawn('dockerd', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    proc.stdout!.on('data', (d) => (this.log = (this.log + d).slice(-20_000)));
    proc.stderr!.on('data', (d) => (this.log = (this.log + d).slice(-20_000)));
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        sh('docker', ['version', '--format', '{{.Server.Version}}'], { ...process.env, DOCKER_HOST: this.host });
        return;
      } catch {
        if (proc.exitCode !== null || Date.now() > deadline)
          throw new Error(`the private dockerd did not start:\n${this.log.slice(-3000)}`);
        await sleep(300);
      }
    }
  }

  /** Copies images from the machine's engine. */
  loadImages(...images: string[]): void {
    const { DOCKER_HOST: _h, DOCKER_CONTEXT: _c, ...machine } = process.env;
    execFileSync('sh', ['-c', `docker save ${images.join(' ')} | DOCKER_HOST=${this.host} docker load -q`], {
      env: machine,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  }

  /** As `systemctl stop docker`: SIGTERM; the engine stops its containers, then exits. */
  async stop(): Promise<void> {
    await terminate(this.proc, 60_000);
    this.proc = undefined;
  }

  /** Stops it and removes everything it had: containers, volumes, data, certificates. */
  async destroy(): Promise<void> {
    if (this.proc) {
      try {
        const env = { ...process.env, DOCKER_HOST: this.host };
        const ids = sh('docker', ['ps', '-aq'], env).split('\n').filter(Boolean);
        if (ids.length) sh('docker', ['rm', '-f', ...ids], env);
      } catch {
        /* it is going anyway */
      }
      await this.stop();
    }
    // Mounts the engine left (its overlay and shm mounts) go before the directory.
    for (const m of readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[1])
      .filter((m) => m?.startsWith(this.dir))
      .reverse()) {
      try {
        sh('umount', ['-l', m]);
      } catch {
        /* already gone */
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** An sshd on 127.0.0.1 taking only a key made here, and an `ssh` on PATH that uses it. */
export class PrivateSshd {
  readonly dir = mkdtempSync(join(tmpdir(), 'jobctl-sshd-'));
  port = 0;
  private proc?: ChildProcess;

  /** PATH with the test's `ssh` first: it adds the test's key and known-hosts file, as a user's ~/.ssh/config would. */
  get path(): string {
    return `${join(this.dir, 'bin')}:${process.env.PATH}`;
  }

  async start(): Promise<void> {
    const p = (f: string) => join(this.dir, f);
    this.port = await freePort();
    sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', p('host_key')]);
    sh('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', p('user_key')]);
    writeFileSync(p('authorized_keys'), readFileSync(p('user_key.pub')), { mode: 0o600 });
    writeFileSync(p('known_hosts'), `[127.0.0.1]:${this.port} ${readFileSync(p('host_key.pub'), 'utf8')}`);
    writeFileSync(
      p('sshd_config'),
      [
        `ListenAddress 127.0.0.1:${this.port}`,
        `HostKey ${p('host_key')}`,
        `AuthorizedKeysFile ${p('authorized_keys')}`,
        `PidFile ${p('sshd.pid')}`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'StrictModes no',
        'UsePAM no',
        `SetEnv PATH=${process.env.PATH}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      p('ssh_config'),
      [
        `IdentityFile ${p('user_key')}`,
        `UserKnownHostsFile ${p('known_hosts')}`,
        'StrictHostKeyChecking yes',
        'BatchMode yes',
        'IdentitiesOnly yes',
        '',
      ].join('\n'),
    );
    mkdirSync(p('bin'));
    writeFileSync(p('bin/ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${p('ssh_config')} "$@"\n`, { mode: 0o755 });
    mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege separation directory
    const proc = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', p('sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    let log = '';
    proc.stderr!.on('data', (d) => (log += d));
    const deadline = Date.now() + 20_000;
    while (!log.includes('Server listening')) {
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`sshd did not start:\n${log}`);
      await sleep(100);
    }
  }

  async destroy(): Promise<void> {
    await terminate(this.proc, 10_000);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
