// What every verb that talks to the server needs: a connected client, the namespace, colour.
import { ApiClient, ensureServer, findServer, ServerUnavailableError } from '../client/index.js';
import { colourEnabled, palette, type Palette } from '../print/colour.js';
import { CliError, type Io } from './io.js';

export interface GlobalOptions {
  namespace?: string;
  allNamespaces?: boolean;
  noColor?: boolean;
}

export async function connect(io: Io): Promise<ApiClient> {
  try {
    return new ApiClient(await ensureServer(io.env));
  } catch (e) {
    if (e instanceof ServerUnavailableError) throw new CliError(e.message);
    throw e;
  }
}

/** A client for the server if one is running; never starts one. */
export async function connectIfRunning(io: Io): Promise<ApiClient | undefined> {
  const found = await findServer(io.env);
  return found && new ApiClient(found);
}

export const namespaceOf = (g: GlobalOptions): string => g.namespace || 'default';

export function paletteFor(io: Io, g: GlobalOptions, plain: boolean): Promise<Palette> {
  return palette(!plain && colourEnabled(io.stdoutIsTTY, io.env, Boolean(g.noColor)));
}

/** `jobs`, `job`, `jobs.batch`, `po`, `ev`, ... → the REST resource name. */
const ALIASES: Record<string, string> = {
  job: 'jobs', jobs: 'jobs', 'job.batch': 'jobs', 'jobs.batch': 'jobs',
  pod: 'pods', pods: 'pods', po: 'pods',
  event: 'events', events: 'events', ev: 'events',
  configmap: 'configmaps', configmaps: 'configmaps', cm: 'configmaps',
  secret: 'secrets', secrets: 'secrets',
};

export function resourceName(word: string): string {
  const r = ALIASES[word.toLowerCase()];
  if (!r) throw new CliError(`the server doesn't have a resource type "${word}"`);
  return r;
}

/** `job/x` or `job x y` → resource and names. */
export function parseTargets(args: string[]): { resource: string; names: string[] } {
  if (args.length === 0) throw new CliError('You must specify the type of resource to get. Use "jobctl api-resources" for a complete list of supported resources.');
  if (args[0].includes('/')) {
    const pairs = args.map((a) => {
      const i = a.indexOf('/');
      if (i < 0) throw new CliError(`there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'jobctl get resource/<resource_name>' instead of 'jobctl get resource resource/<resource_name>'`);
      return { resource: resourceName(a.slice(0, i)), name: a.slice(i + 1) };
    });
    const resource = pairs[0].resource;
    if (pairs.some((p) => p.resource !== resource)) throw new CliError('jobctl handles one resource type per command');
    return { resource, names: pairs.map((p) => p.name) };
  }
  return { resource: resourceName(args[0]), names: args.slice(1) };
}

/** `job.batch`, `pod`, `configmap`: how kubectl names a resource in messages. */
export function singularQualified(resource: string): string {
  return resource === 'jobs' ? 'job.batch' : resource.replace(/s$/, '');
}

export function apiPath(resource: string, ns: string | undefined, name?: string): string {
  const enc = encodeURIComponent;
  const base = resource === 'jobs' ? `/apis/batch/v1` : `/api/v1`;
  const nsPart = ns ? `/namespaces/${enc(ns)}` : '';
  return `${base}${nsPart}/${resource}${name !== undefined ? `/${enc(name)}` : ''}`;
}
