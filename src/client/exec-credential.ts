// Exec credential plugins (client.authentication.k8s.io v1 and v1beta1), as client-go runs them
// for EKS, GKE and AKS logins: the command (a relative one with a `/` found from the kubeconfig's
// folder), its args and env, KUBERNETES_EXEC_INFO (with the cluster when `provideClusterInfo`), its
// ExecCredential read from stdout; a token or client certificate kept until it expires.
import { spawn } from 'node:child_process';
import { dirname, isAbsolute, resolve } from 'node:path';

type Obj = Record<string, unknown>;

export class ExecCredentialError extends Error {}

export interface ExecResult {
  token?: string;
  cert?: Buffer;
  key?: Buffer;
  /** When it stops being good (ms since the epoch); undefined: for as long as this process runs. */
  expiresAt?: number;
}

export interface ExecContext {
  userName: string;
  /** The kubeconfig that held the user: a relative command with a `/` is found from its folder. */
  file?: string;
  /** The cluster, for `provideClusterInfo`. */
  cluster: Obj;
  ca?: Buffer;
  /** Whether a person is at the terminal (stdin a TTY). */
  interactive: boolean;
  env: NodeJS.ProcessEnv;
}

const API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];

/** KUBERNETES_EXEC_INFO: what the plugin is told about its run and, if asked for, the cluster. */
function execInfo(exec: Obj, ctx: ExecContext, interactive: boolean): string {
  const spec: Obj = {};
  if (exec.provideClusterInfo) {
    const c = ctx.cluster;
    const cluster: Obj = { server: c.server };
    if (c['tls-server-name']) cluster['tls-server-name'] = c['tls-server-name'];
    if (c['insecure-skip-tls-verify']) cluster['insecure-skip-tls-verify'] = true;
    if (ctx.ca) cluster['certificate-authority-data'] = ctx.ca.toString('base64');
    if (c['proxy-url']) cluster['proxy-url'] = c['proxy-url'];
    if (c['disable-compression']) cluster['disable-compression'] = true;
    cluster.config = null;
    spec.cluster = cluster;
  }
  spec.interactive = interactive; // after the cluster, in kubectl's order
  // With the newline Go's JSON encoder ends it with, as kubectl sends it.
  return `${JSON.stringify({ kind: 'ExecCredential', apiVersion: exec.apiVersion, spec })}\n`;
}

/** Runs the plugin once and reads its credential. */
export async function runExecPlugin(exec: Obj, ctx: ExecContext): Promise<ExecResult> {
  const apiVersion = String(exec.apiVersion ?? '');
  if (!API_VERSIONS.includes(apiVersion))
    throw new ExecCredentialError(`exec plugin: invalid apiVersion "${apiVersion}"`);
  const mode = String(exec.interactiveMode ?? (apiVersion.endsWith('/v1beta1') ? 'IfAvailable' : ''));
  if (!mode)
    throw new ExecCredentialError(
      `interactiveMode must be specified for ${ctx.userName} to use exec authentication plugin`,
    );
  const interactive = mode !== 'Never' && ctx.interactive;
  if (mode === 'Always' && !interactive) {
    throw new ExecCredentialError(`exec plugin cannot support interactive mode: standard input is not a terminal`);
  }
  let command = String(exec.command ?? '');
  if (command.includes('/') && !isAbsolute(command) && ctx.file) command = resolve(dirname(ctx.file), command);
  const env: NodeJS.ProcessEnv = { ...ctx.env };
  for (const e of (exec.env as { name: string; value: string }[] | null) ?? []) env[e.name] = e.value;
  env.KUBERNETES_EXEC_INFO = execInfo(exec, ctx, interactive);
  const args = ((exec.args as string[] | null) ?? []).map(String);
  const { code, stdout, missing } = await new Promise<{ code: number; stdout: string; missing: boolean }>((resolve) => {
    const child = spawn(command, args, { env, stdio: [interactive ? 'inherit' : 'ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', (e) =>
      resolve({ code: -1, stdout: '', missing: (e as NodeJS.ErrnoException).code === 'ENOENT' }),
    );
    child.on('close', (c) => resolve({ code: c ?? -1, stdout: out, missing: false }));
  });
  if (missing) {
    const hint = exec.installHint ? `\n\n${String(exec.installHint)}` : '';
    throw new ExecCredentialError(`getting credentials: exec: executable ${command} not found${hint}`);
  }
  if (code !== 0)
    throw new ExecCredentialError(`getting credentials: exec: executable ${command} failed with exit code ${code}`);
  let cred: Obj;
  try {
    cred = JSON.parse(stdout) as Obj;
  } catch (e) {
    throw new ExecCredentialError(`getting credentials: decoding stdout: ${(e as Error).message}`);
  }
  if (cred.apiVersion !== apiVersion || cred.kind !== 'ExecCredential') {
    throw new ExecCredentialError(
      `getting credentials: exec plugin is configured to use API version ${apiVersion}, plugin returned version ${String(cred.apiVersion)}`,
    );
  }
  const status = (cred.status ?? {}) as Obj;
  const expiry = typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : undefined;
  if (status.token) return { token: String(status.token), expiresAt: expiry };
  if (status.clientCertificateData && status.clientKeyData) {
    return {
      cert: Buffer.from(String(status.clientCertificateData)),
      key: Buffer.from(String(status.clientKeyData)),
      expiresAt: expiry,
    };
  }
  throw new ExecCredentialError("getting credentials: exec plugin didn't return a token or cert/key pair");
}
