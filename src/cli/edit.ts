// `jobctl edit TYPE NAME...`, as kubectl's: the objects (managedFields aside) as YAML or JSON in a
// temporary file under kubectl's header, opened in KUBE_EDITOR, EDITOR or vi; what changed goes as
// a strategic merge patch. An invalid change reopens the file with the server's reasons on top;
// saving it unchanged then gives up and keeps the file. No change, or an empty file, cancels.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { mustResource, StatusError, type ApiObject } from '../api/index.js';
import { asList, hideManagedFields, kindSlashName, sortKeys, toJson, toYaml } from '../print/output.js';
import { apiPath, connect, getNamed, namespaceFor, parseTargets, type GlobalOptions } from './context.js';
import { CliError, ExitError, type Io, warn } from './io.js';

export interface EditOptions extends GlobalOptions {
  output?: string;
}

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

interface Reason {
  head: string;
  other: string[];
}

const hashLines = (s: string) => s.replaceAll('\n', '\n# ');

function header(reasons: Reason[]): string {
  let h = HEADER;
  for (const r of reasons) {
    h += r.other.length ? `# ${hashLines(r.head)}:\n` : `# ${hashLines(r.head)}\n`;
    for (const o of r.other) h += `# * ${hashLines(o)}\n`;
    h += '#\n';
  }
  return h;
}

/** kubectl's ManualStrip: the file without its comment lines (a `#!` line stays). */
export const stripComments = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !(l.trim().startsWith('#') && !l.trim().startsWith('#!')))
    .join('\n');

/** The editor kubectl would run: KUBE_EDITOR, EDITOR, else vi; through the shell when it quotes. */
export function editorCommand(env: NodeJS.ProcessEnv, file: string): string[] {
  const editor = (env.KUBE_EDITOR || env.EDITOR || 'vi').trim();
  if (!editor.includes(' ')) return [editor, file];
  if (!/["'\\]/.test(editor)) return [...editor.split(' '), file];
  return [env.SHELL || '/bin/bash', '-c', `${editor} ${JSON.stringify(file)}`];
}

const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

export async function runEdit(args: string[], opts: EditOptions, io: Io): Promise<void> {
  const format = opts.output ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new CliError(`the flag 'output' must be one of yaml|json`);
  const { resource, names } = parseTargets(args);
  if (!names.length) throw new CliError('resource(s) were provided, but no name was specified');
  const ns = namespaceFor(resource, opts);
  const client = await connect(io);
  const originals: ApiObject[] = [];
  for (const name of names) originals.push(hideManagedFields(await getNamed<ApiObject>(client, resource, ns, name)));
  const shown = originals.length === 1 ? originals[0] : asList(originals);
  const body = format === 'json' ? toJson(shown) : await toYaml(shown);
  const { decodeManifests } = await import('../api/manifest.js');
  // A new file for each opening, as kubectl's editor makes one; the previous one goes.
  const newFile = () => join(tmpdir(), `jobctl-edit-${randomBytes(8).toString('hex')}.${format}`);
  let file = newFile();
  let reasons: Reason[] = [];
  let text = HEADER + body;
  let failedBefore: string | undefined;
  const keep = (message: string): never => {
    io.err(`A copy of your changes has been stored to ${JSON.stringify(file)}\n`);
    throw new CliError(message);
  };
  for (let first = true; ; first = false) {
    if (!first) {
      rmSync(file, { force: true });
      file = newFile();
    }
    writeFileSync(file, text, { mode: 0o600 });
    const [cmd, ...cmdArgs] = editorCommand(io.env, file);
    const ran = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: io.env });
    if (ran.error || ran.status !== 0)
      keep(`there was a problem with the editor ${JSON.stringify(cmd)}${ran.error ? `: ${ran.error.message}` : ''}`);
    const edited = readFileSync(file, 'utf8');
    const content = stripComments(edited);
    if (failedBefore !== undefined && content === failedBefore) keep('Edit cancelled, no valid changes were saved.');
    if (!content.trim()) {
      rmSync(file, { force: true });
      io.err('Edit cancelled, saved file was empty.\n');
      return;
    }
    const decoded = decodeManifests(basename(file), content);
    if (decoded.errors.length) {
      reasons = [{ head: `The edited file had a syntax error: ${decoded.errors[0].message}`, other: [] }];
      failedBefore = content;
      text = header(reasons) + content;
      continue;
    }
    const editedObjects = decoded.objects.map((d) => d.manifest as unknown as ApiObject);
    if (same(editedObjects, originals)) {
      rmSync(file, { force: true });
      io.err('Edit cancelled, no changes made.\n');
      return;
    }
    reasons = [];
    let retryable = 0;
    let notFound = 0;
    for (const edit of editedObjects) {
      const original = originals.find((o) => o.metadata.uid === edit.metadata?.uid);
      if (!original) keep(`no original object found for ${kindSlashName(edit)}`);
      const orig = original as ApiObject;
      if (edit.apiVersion !== orig.apiVersion || edit.kind !== orig.kind || edit.metadata?.name !== orig.metadata.name)
        keep('At least one of apiVersion, kind and name was changed');
      if (same(edit, orig)) {
        io.out(`${kindSlashName(orig)} skipped\n`);
        continue;
      }
      const r = mustResource(orig.kind);
      const what = `${r.group ? `${r.plural}.${r.group}` : r.plural} ${JSON.stringify(orig.metadata.name)}`;
      const { threeWayPatch } = await import('../api/three-way.js');
      const { schemaOfKind } = await import('../api/schema.js');
      const patch = threeWayPatch(orig, edit, orig, schemaOfKind(orig.kind));
      const q = new URLSearchParams({ fieldManager: 'kubectl-edit', fieldValidation: 'Strict' });
      const path = `${apiPath(r.plural, orig.metadata.namespace, orig.metadata.name)}?${q}`;
      try {
        const res = await client.call<ApiObject>('PATCH', path, patch, 'application/strategic-merge-patch+json');
        warn(io, res.warnings);
        io.out(`${kindSlashName(res.body)} edited\n`);
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
        if (e.status.reason === 'Invalid') {
          const causes = e.status.details?.causes ?? [];
          reasons.push({ head: `${what} was not valid`, other: causes.map((c) => `${c.field}: ${c.message}`) });
          io.err(`error: ${what} is invalid\n`);
        } else if (e.status.code === 404) {
          notFound++;
          io.err(`error: ${what} could not be found on the server\n`);
        } else {
          retryable++;
          io.err(`error: ${what} could not be patched: ${e.status.message}\n`);
        }
      }
    }
    if (retryable) {
      io.err(`You can run \`jobctl replace -f ${file}\` to try this update again.\n`);
      throw new ExitError(1);
    }
    if (notFound) {
      io.err(`The edits you made on deleted resources have been saved to ${JSON.stringify(file)}\n`);
      throw new ExitError(1);
    }
    if (!reasons.length) {
      rmSync(file, { force: true });
      return;
    }
    failedBefore = content;
    text = header(reasons) + content;
  }
}
