// What every verb that talks to the server needs: a connected client, the namespace, colour.
import {
  kindQualified,
  resolveResource,
  resourceByPlural,
  resourcePath,
  StatusError,
  type ApiObject,
  type Resource,
} from '../api/index.js';
import { ApiClient, ensureServer, findServer, localEndpoint, ServerUnavailableError } from '../client/index.js';
import { colourEnabled, palette, type Palette } from '../print/colour.js';
import { CliError, type Io } from './io.js';

export interface GlobalOptions {
  namespace?: string;
  allNamespaces?: boolean;
  noColor?: boolean;
}

export async function connect(io: Io): Promise<ApiClient> {
  if (io.target) return new ApiClient(io.target.endpoint);
  try {
    return new ApiClient(localEndpoint(await ensureServer(io.env)));
  } catch (e) {
    if (e instanceof ServerUnavailableError) throw new CliError(e.message);
    throw e;
  }
}

/** A client for the server if one is running (a cluster always is); never starts one. */
export async function connectIfRunning(io: Io): Promise<ApiClient | undefined> {
  if (io.target) return new ApiClient(io.target.endpoint);
  const found = await findServer(io.env);
  return found && new ApiClient(localEndpoint(found));
}

export const namespaceOf = (g: GlobalOptions): string => g.namespace || 'default';

/** The namespace a command on `resource` works in: none for a cluster-scoped one (nodes, namespaces). */
export const namespaceFor = (resource: string, g: GlobalOptions): string | undefined =>
  resourceByPlural(resource)?.namespaced === false ? undefined : namespaceOf(g);

export function paletteFor(io: Io, g: GlobalOptions, plain: boolean): Promise<Palette> {
  return palette(!plain && colourEnabled(io.stdoutIsTTY, io.env, Boolean(g.noColor)));
}

/** `jobs`, `job`, `jobs.batch`, `po`, `ev`, ... → the REST resource name (the plural). */
export function resourceName(word: string): string {
  const r = resolveResource(word);
  if (!r) throw new CliError(`the server doesn't have a resource type "${word}"`);
  return r.plural;
}

/** `job/x` or `job x y` → resource and names. */
export function parseTargets(args: string[]): { resource: string; names: string[] } {
  if (args.length === 0)
    throw new CliError(
      'You must specify the type of resource to get. Use "jobctl api-resources" for a complete list of supported resources.',
    );
  if (args[0].includes('/')) {
    const pairs = args.map((a) => {
      const i = a.indexOf('/');
      if (i < 0)
        throw new CliError(
          `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'jobctl get resource/<resource_name>' instead of 'jobctl get resource resource/<resource_name>'`,
        );
      return { resource: resourceName(a.slice(0, i)), name: a.slice(i + 1) };
    });
    const resource = pairs[0].resource;
    if (pairs.some((p) => p.resource !== resource)) throw new CliError('jobctl handles one resource type per command');
    return { resource, names: pairs.map((p) => p.name) };
  }
  return { resource: resourceName(args[0]), names: args.slice(1) };
}

const byPlural = (resource: string): Resource => {
  const r = resourceByPlural(resource);
  if (!r) throw new Error(`no resource ${resource}`);
  return r;
};

/** `job.batch`, `pod`, `configmap`: how kubectl names a resource in messages. */
export const singularQualified = (resource: string): string => kindQualified(byPlural(resource));

export const apiPath = (resource: string, ns: string | undefined, name?: string): string =>
  resourcePath(byPlural(resource), ns, name);

/**
 * One object by name, as kubectl's resource builder reads it: when it is not found in a namespace
 * other than `default`, the namespace is looked up too, and its absence is the error reported
 * (`namespaces "team-a" not found`, not `jobs.batch "x" not found`).
 */
export async function getNamed<T extends ApiObject = ApiObject>(
  client: ApiClient,
  resource: string,
  ns: string | undefined,
  name: string,
): Promise<T> {
  try {
    return await client.get<T>(apiPath(resource, ns, name));
  } catch (e) {
    if (!(e instanceof StatusError && e.status.code === 404 && ns && ns !== 'default')) throw e;
    try {
      await client.get(apiPath('namespaces', undefined, ns));
    } catch (missing) {
      if (missing instanceof StatusError && missing.status.code === 404) throw missing;
    }
    throw e;
  }
}
