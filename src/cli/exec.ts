// `jobctl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [args...]` and `jobctl attach`,
// as kubectl's: the pod (a Job's most active one), the container (the default one said on stderr),
// a terminal in raw mode with its size sent and kept up to date, the command's exit code passed
// through (`command terminated with exit code N`). The streams go over the pods/exec and
// pods/attach subresources, so this works against a cluster as against jobctl's server.
import { parseDuration, type Pod, type StreamOptions } from '../api/index.js';
import { runRemoteCommand, UpgradeError, type ApiClient, type RemoteIo, type RemoteResult } from '../client/index.js';
import { apiPath, connect, namespaceOf, type GlobalOptions } from './context.js';
import { CliError, ExitError, type Io } from './io.js';
import { attachablePod, podContainer } from './pod-target.js';

export interface StreamVerbOptions extends GlobalOptions {
  container?: string;
  stdin?: boolean;
  tty?: boolean;
  quiet?: boolean;
  podRunningTimeout?: string;
}

/** What kubectl's SetupTTY decides: a terminal only with -i and a terminal on stdin. */
function useTerminal(opts: StreamVerbOptions, io: Io, std: NonNullable<Io['std']>): boolean {
  if (!opts.stdin || !opts.tty) return false;
  if (std.stdin.isTTY) return true;
  if (!opts.quiet) io.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  return false;
}

/** Runs `fn` with the terminal raw (when `raw`), restored however it ends. */
async function withRawTerminal<T>(raw: boolean, std: NonNullable<Io['std']>, fn: () => Promise<T>): Promise<T> {
  if (!raw) return fn();
  std.stdin.setRawMode(true);
  try {
    return await fn();
  } finally {
    std.stdin.setRawMode(false);
  }
}

function remoteIo(std: NonNullable<Io['std']>, stdin: boolean, tty: boolean): RemoteIo {
  // kubectl sizes the terminal its output goes to.
  const terminal = std.stdout.isTTY ? std.stdout : undefined;
  return {
    stdin: stdin ? std.stdin : undefined,
    stdout: std.stdout,
    // With a terminal the process's stderr comes on stdout, as it does on a terminal.
    stderr: tty ? undefined : std.stderr,
    size: () => (terminal?.columns ? { width: terminal.columns, height: terminal.rows } : undefined),
    onResize: (cb) => {
      terminal?.on('resize', cb);
      return () => terminal?.off('resize', cb);
    },
  };
}

/** A remote command's session; a server's refusal to upgrade in kubectl's words. */
export async function remoteCommand(
  client: ApiClient,
  path: string,
  opts: StreamOptions,
  rio: RemoteIo,
): Promise<RemoteResult> {
  try {
    return await runRemoteCommand(client, path, opts, rio);
  } catch (e) {
    if (e instanceof UpgradeError) throw new CliError(e.message);
    throw e;
  }
}

/** How a session ended, as kubectl reports it. */
export function report(result: RemoteResult, io: Io): void {
  if (result.message !== undefined) throw new CliError(result.message);
  if (result.exitCode) {
    io.err(`command terminated with exit code ${result.exitCode}\n`);
    throw new ExitError(result.exitCode);
  }
}

async function openPod(word: string | undefined, opts: StreamVerbOptions, io: Io, defaultTimeout: string) {
  const ns = namespaceOf(opts);
  const timeout = opts.podRunningTimeout ?? defaultTimeout;
  const timeoutMs = parseDuration(timeout);
  if (timeoutMs === undefined || timeoutMs <= 0)
    throw new CliError(`--pod-running-timeout must be higher than zero\nSee 'jobctl exec --help' for usage.`);
  const client = await connect(io);
  const pod: Pod = await attachablePod(client, ns, word ?? '', timeoutMs);
  return { client, pod, ns };
}

export async function runExec(
  args: string[],
  command: string[] | undefined,
  opts: StreamVerbOptions,
  io: Io,
): Promise<void> {
  if (command === undefined && args.length > 1)
    throw new CliError(
      "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'jobctl exec --help' for usage.",
    );
  if (!args[0]) throw new CliError('pod, type/name or --filename must be specified');
  if (!command?.length) throw new CliError('you must specify at least one command for the container');
  const std = io.std;
  if (!std) throw new CliError('exec needs the process streams');
  const { client, pod, ns } = await openPod(args[0], opts, io, '1m');
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed')
    throw new CliError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const container = podContainer(pod, opts.container, Boolean(opts.quiet), io);
  const tty = useTerminal(opts, io, std);
  const stdin = Boolean(opts.stdin);
  const path = `${apiPath('pods', ns, pod.metadata.name)}/exec`;
  const streamOpts = { container, command, stdin, stdout: true, stderr: !tty, tty };
  report(await withRawTerminal(tty, std, () => remoteCommand(client, path, streamOpts, remoteIo(std, stdin, tty))), io);
}

export async function runAttach(args: string[], opts: StreamVerbOptions, io: Io): Promise<void> {
  if (args.length === 0) throw new CliError('at least 1 argument is required for attach');
  if (args.length > 2)
    throw new CliError(
      `expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${args.length}: [${args.join(' ')}]`,
    );
  const std = io.std;
  if (!std) throw new CliError('attach needs the process streams');
  const word = args.length === 2 ? `${args[0]}/${args[1]}` : args[0];
  const { client, pod, ns } = await openPod(word, opts, io, '1m');
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed')
    throw new CliError(`cannot attach a container in a completed pod; current phase is ${phase}`);
  let container: string;
  try {
    container = podContainer(pod, opts.container, Boolean(opts.quiet), io, true);
  } catch (e) {
    throw new CliError(`cannot attach to the container: ${(e as Error).message}`);
  }
  const spec = [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((c) => c.name === container);
  // The terminal is the container's: asked for and not there is said; there and not asked for is used.
  let wantTty = Boolean(opts.tty);
  if (wantTty && !spec?.tty) {
    wantTty = false;
    if (!opts.quiet) io.err(`error: Unable to use a TTY - container ${container} did not allocate one\n`);
  } else if (!wantTty && spec?.tty) wantTty = true;
  const tty = useTerminal({ ...opts, tty: wantTty }, io, std);
  if (!opts.quiet) io.err("If you don't see a command prompt, try pressing enter.\n");
  const stdin = Boolean(opts.stdin);
  const path = `${apiPath('pods', ns, pod.metadata.name)}/attach`;
  const streamOpts = { container, command: [], stdin, stdout: true, stderr: !tty, tty };
  report(await withRawTerminal(tty, std, () => remoteCommand(client, path, streamOpts, remoteIo(std, stdin, tty))), io);
}
