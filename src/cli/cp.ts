// `jobctl cp`, as kubectl's: `[[NAMESPACE/]POD:]PATH` on one side, a local path on the other, over
// pods/exec. Out of a pod: `tar cf - PATH` in the container, read here as it arrives (a file or a
// directory, to DEST itself); into a pod: `test -d DEST` says whether DEST is a directory, then the
// files go as a tar stream to `tar -xmf - -C DIR`. Paths are cleaned and checked as kubectl does:
// nothing is written outside DEST, symbolic links out of a pod are skipped with a warning.
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, statSync, writeSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import type { Pod } from '../api/index.js';
import type { ApiClient, RemoteResult } from '../client/index.js';
import { apiPath, connect, getNamed, namespaceOf, type GlobalOptions } from './context.js';
import { remoteCommand, report } from './exec.js';
import { CliError, type Io } from './io.js';
import { podContainer } from './pod-target.js';
import { END_OF_ARCHIVE, padding, tarHeader, TarCorrupt, TarReader, type TarHeader } from './tar.js';

export interface CpOptions extends GlobalOptions {
  container?: string;
  noPreserve?: boolean;
}

interface FileSpec {
  namespace?: string;
  pod?: string;
  file: string;
}

const FORMAT_ERROR = 'filespec must match the canonical format: [[namespace/]pod:]file/path';

const stripTrailingSlash = (f: string): string => (f.length > 1 && f.endsWith('/') ? f.slice(0, -1) : f);
const stripLeadingSlashes = (f: string): string => f.replace(/^[/\\]+/, '');
/** Go's path.Clean: no trailing slash, `.` for nothing. */
const clean = (p: string): string => stripTrailingSlash(posix.normalize(p || '.'));
function stripPathShortcuts(p: string): string {
  let out = p;
  while (out.startsWith('../')) out = out.slice(3);
  return out === '..' || out === '.' ? '' : out;
}

function fileSpec(arg: string): FileSpec {
  const i = arg.indexOf(':');
  if (i === 0) throw new CliError(FORMAT_ERROR);
  if (i < 0) return { file: stripTrailingSlash(arg) };
  const file = stripTrailingSlash(arg.slice(i + 1).replaceAll('\\', '/'));
  const pieces = arg.slice(0, i).split('/');
  if (pieces.length === 1) return { pod: pieces[0], file };
  if (pieces.length === 2) return { namespace: pieces[0], pod: pieces[1], file };
  throw new CliError(FORMAT_ERROR);
}

type Sink = { write(data: Buffer): unknown };
const discard: Sink = { write: () => true };

/** One exec in the pod, as kubectl's cp runs it (ExecOptions with a pod name). */
async function execIn(
  client: ApiClient,
  ns: string,
  podName: string,
  container: string | undefined,
  command: string[],
  streams: { stdin?: NodeJS.ReadableStream; stdout: Sink; stderr: Sink; notices: Sink },
): Promise<RemoteResult> {
  const pod = await getNamed<Pod>(client, 'pods', ns, podName);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed')
    throw new CliError(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const noticeIo = { err: (t: string) => streams.notices.write(Buffer.from(t)) } as Io;
  const name = podContainer(pod, container, false, noticeIo);
  const path = `${apiPath('pods', ns, podName)}/exec`;
  const opts = { container: name, command, stdin: Boolean(streams.stdin), stdout: true, stderr: true, tty: false };
  return remoteCommand(client, path, opts, streams);
}

export async function runCp(args: string[], opts: CpOptions, io: Io): Promise<void> {
  if (args.length !== 2) throw new CliError('source and destination are required');
  const src = fileSpec(args[0]);
  const dest = fileSpec(args[1]);
  if (src.pod && dest.pod) throw new CliError('one of src or dest must be a local file specification');
  if (!src.file || !dest.file) throw new CliError('filepath can not be empty');
  if (!src.pod && !dest.pod) throw new CliError('one of src or dest must be a remote file specification');
  const std = io.std;
  if (!std) throw new CliError('cp needs the process streams');
  const client = await connect(io);
  if (src.pod) return copyFromPod(client, src, dest.file, opts, io, std);
  return copyToPod(client, src.file, dest, opts, io, std);
}

async function copyFromPod(
  client: ApiClient,
  src: FileSpec,
  dest: string,
  opts: CpOptions,
  io: Io,
  std: NonNullable<Io['std']>,
): Promise<void> {
  const ns = src.namespace || namespaceOf(opts);
  const prefix = stripPathShortcuts(clean(stripLeadingSlashes(src.file)));
  const destRoot = clean(dest);
  let warnedSymlink = false;
  let failure: Error | undefined;
  const reader = new TarReader((h: TarHeader) => {
    if (!h.name.startsWith(prefix)) throw new TarCorrupt('tar contents corrupted');
    const rest = clean(h.name.slice(prefix.length).replaceAll('\\', '/'));
    const target = posix.join(destRoot, rest === '.' ? '' : rest);
    const rel = posix.relative(destRoot, target);
    if (rel !== '' && rel !== stripPathShortcuts(rel)) {
      io.err(`warning: file ${JSON.stringify(target)} is outside target destination, skipping\n`);
      return undefined;
    }
    mkdirSync(posix.dirname(target), { recursive: true, mode: 0o755 });
    if (h.type === 'dir') {
      mkdirSync(target, { recursive: true, mode: 0o755 });
      return undefined;
    }
    if (h.type === 'symlink') {
      const said = `warning: skipping symlink: ${JSON.stringify(target)} -> ${JSON.stringify(h.linkname)}`;
      io.err(
        warnedSymlink
          ? `${said}\n`
          : // The namespace as the file spec gave it (empty when it gave none), as kubectl prints it.
            `${said} (consider using "jobctl exec -n ${JSON.stringify(src.namespace ?? '')} ${JSON.stringify(src.pod)} -- tar cf - ${JSON.stringify(src.file)} | tar xf -")\n`,
      );
      warnedSymlink = true;
      return undefined;
    }
    const fd = openSync(target, 'w', 0o666);
    return { write: (d: Buffer) => writeSync(fd, d), end: () => closeSync(fd) };
  });
  const untar: Sink = {
    write: (d: Buffer) => {
      if (failure || reader.ended) return;
      try {
        reader.push(d);
      } catch (e) {
        failure = e as Error;
      }
    },
  };
  // kubectl shows what the container's tar says (and which container it chose) on stdout.
  const result = await execIn(client, ns, src.pod!, opts.container, ['tar', 'cf', '-', src.file], {
    stdout: untar,
    stderr: std.stdout,
    notices: std.stdout,
  });
  report(result, io);
  if (failure instanceof TarCorrupt) throw new CliError(failure.message);
  if (failure) throw new CliError((failure as Error).message);
}

/** kubectl's makeTar: entries named from DEST's base name down; a non-empty directory gets none of its own. */
async function* tarStream(srcDir: string, srcFile: string, destFile: string): AsyncGenerator<Buffer> {
  const path = posix.join(srcDir, srcFile);
  const st = lstatSync(path);
  const header = (type: TarHeader['type'], size: number, linkname = '') =>
    tarHeader({
      name: destFile,
      type,
      mode: st.mode,
      size,
      mtime: st.mtimeMs / 1000,
      uid: st.uid,
      gid: st.gid,
      linkname,
    });
  if (st.isDirectory()) {
    const names = readdirSync(path).sort();
    if (!names.length) yield header('dir', 0);
    for (const n of names) yield* tarStream(srcDir, posix.join(srcFile, n), posix.join(destFile, n));
  } else if (st.isSymbolicLink()) {
    yield header('symlink', 0, readlinkSync(path));
  } else if (st.isFile()) {
    yield header('file', st.size);
    let sent = 0;
    if (st.size > 0)
      for await (const chunk of createReadStream(path, { end: st.size - 1 }) as AsyncIterable<Buffer>) {
        sent += chunk.length;
        yield chunk;
      }
    // A file that shrank while it was read is padded to the size its header gave.
    if (sent < st.size) yield Buffer.alloc(st.size - sent);
    yield padding(st.size);
  } else {
    yield header('other', 0);
  }
}

async function copyToPod(
  client: ApiClient,
  src: string,
  dest: FileSpec,
  opts: CpOptions,
  io: Io,
  std: NonNullable<Io['std']>,
): Promise<void> {
  try {
    statSync(src);
  } catch {
    throw new CliError(`${src} doesn't exist in local filesystem`);
  }
  const ns = dest.namespace || namespaceOf(opts);
  let destFile = dest.file;
  const isDir = await execIn(client, ns, dest.pod!, opts.container, ['test', '-d', destFile], {
    stdout: discard,
    stderr: discard,
    notices: discard,
  }).catch((): RemoteResult => ({ exitCode: 1 }));
  if (!isDir.exitCode && isDir.message === undefined) destFile = posix.join(destFile, posix.basename(src));
  const srcPath = clean(src);
  const destPath = clean(destFile);
  async function* archive(): AsyncGenerator<Buffer> {
    yield* tarStream(posix.dirname(srcPath), posix.basename(srcPath), posix.basename(destPath));
    yield END_OF_ARCHIVE;
  }
  const command = opts.noPreserve
    ? ['tar', '--no-same-permissions', '--no-same-owner', '-xmf', '-']
    : ['tar', '-xmf', '-'];
  const dir = posix.dirname(destPath);
  if (dir) command.push('-C', dir);
  const result = await execIn(client, ns, dest.pod!, opts.container, command, {
    stdin: Readable.from(archive()),
    stdout: std.stdout,
    stderr: std.stderr,
    notices: std.stderr,
  });
  report(result, io);
}
