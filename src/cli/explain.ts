// `jobctl explain TYPE[.FIELD...]`, as kubectl 1.32's: the resource found through the server's
// discovery as kubectl's REST mapper finds it (a `RESOURCE.GROUP` prefix chooses among groups),
// its group version's OpenAPI v3 document read from the server, and the page rendered by
// print/explain.ts. It asks the server, so it explains a cluster's kinds too.
import type { ApiClient } from '../client/index.js';
import { ExplainError, renderExplain } from '../print/explain.js';
import { discover, type Served } from './api-resources.js';
import { connect } from './context.js';
import { CliError, ExitError, type Io } from './io.js';

export interface ExplainOptions {
  recursive?: boolean;
  apiVersion?: string;
  output?: string;
}

const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True'];
const GO_FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False'];

/**
 * `--recursive`, a Go bool flag: alone, or `--recursive=false`. Commander reads a word after it
 * as its value (`explain --recursive jobs`); such a word is given back to the arguments.
 */
export function recursiveFlag(
  value: string | boolean | undefined,
  rawArgs: readonly string[],
  args: string[],
): boolean {
  if (typeof value !== 'string') return Boolean(value);
  if (rawArgs.includes(`--recursive=${value}`)) {
    if (GO_TRUE.includes(value)) return true;
    if (GO_FALSE.includes(value)) return false;
    throw new CliError(
      `invalid argument "${value}" for "--recursive" flag: strconv.ParseBool: parsing "${value}": invalid syntax\nSee 'jobctl explain --help' for usage.`,
    );
  }
  args.unshift(value);
  return true;
}

const SUGGEST = 'Use "jobctl api-resources" for a complete list of supported resources.';

/** The resource and field path `explain` was asked about, as kubectl's explain splits them. */
function resolve(arg: string, served: Served[], apiVersion: string | undefined, io: Io) {
  const text = arg.replace(/\.$/, '');
  if (/[[\]{}*]/.test(text)) throw new CliError('invalid jsonpath syntax, first node must be field node');
  const [first, ...rest] = text.split('.');
  const word = first.toLowerCase();
  const matches = served.filter(
    (r) => r.name === word || r.singularName === word || (r.shortNames ?? []).includes(word),
  );
  if (!matches.length) {
    // kubectl prints a mapper's no-match error without `error: `.
    io.err(`the server doesn't have a resource type "${first}"\n`);
    throw new ExitError(1);
  }
  if (apiVersion === undefined) {
    for (const r of matches) {
      const groupResource = r.group ? `${r.name}.${r.group}` : r.name;
      if (!text.startsWith(groupResource)) continue;
      const suffix = text.slice(groupResource.length);
      const fields = suffix.startsWith('.') ? suffix.slice(1).split('.') : suffix.split('.').slice(1);
      return { served: r, group: r.group, version: r.groupVersion.split('/').at(-1)!, fields: fields.filter(Boolean) };
    }
  }
  const r = matches[0];
  let [group, version] = [r.group, r.groupVersion.split('/').at(-1)!];
  if (apiVersion !== undefined) {
    const parts = apiVersion.split('/');
    if (parts.length > 2) throw new CliError(`unexpected GroupVersion string: ${apiVersion}`);
    [group, version] = parts.length === 2 ? [parts[0], parts[1]] : ['', parts[0]];
  }
  return { served: r, group, version, fields: rest };
}

/** The group version's OpenAPI v3 document, found through the server's index of them. */
async function documentOf(client: ApiClient, group: string, version: string, resource: string) {
  const index = await client.get<{ paths?: Record<string, { serverRelativeURL: string }> }>('/openapi/v3');
  const entry = index.paths?.[group ? `apis/${group}/${version}` : `api/${version}`];
  if (!entry)
    throw new CliError(`couldn't find resource for "${group ? `${group}/` : ''}${version}, Resource=${resource}"`);
  return client.get<Record<string, unknown>>(entry.serverRelativeURL);
}

export async function runExplain(args: string[], opts: ExplainOptions, io: Io): Promise<void> {
  if (args.length === 0) throw new CliError(`You must specify the type of resource to explain. ${SUGGEST}`);
  if (args.length > 1) throw new CliError('We accept only this format: explain RESOURCE');
  const output = opts.output ?? 'plaintext';
  if (output === 'plaintext-openapiv2')
    throw new CliError('--output plaintext-openapiv2 is not supported: jobctl explains from OpenAPI v3 (plaintext)');
  const client = await connect(io);
  const { served, group, version, fields } = resolve(args[0], await discover(client), opts.apiVersion, io);
  const doc = await documentOf(client, group, version, served.name);
  if (output !== 'plaintext') throw new CliError(`unrecognized format: ${output}`);
  try {
    io.out(
      renderExplain(doc, { group, version, resource: served.name, fieldPath: fields, recursive: !!opts.recursive }),
    );
  } catch (e) {
    if (!(e instanceof ExplainError)) throw e;
    io.out(e.printed);
    throw new CliError(e.message);
  }
}
