// `jobctl delete job NAME | -f FILE | --all [-l]`: Background cascade by default, waits until gone.
import { mustResource, StatusError, type ApiObject } from '../api/index.js';
import { listAndWatch, type ApiClient, type ListResult } from '../client/index.js';
import { apiPath, connect, namespaceOf, parseTargets, singularQualified, type GlobalOptions } from './context.js';
import { CliError, ExitError, type Io } from './io.js';
import { readManifests } from './read-manifests.js';

export interface DeleteOptions extends GlobalOptions {
  filename: string[];
  all?: boolean;
  selector?: string;
  cascade?: string;
  gracePeriod?: string;
  force?: boolean;
  wait?: boolean;
  output?: string;
  ignoreNotFound?: boolean;
}

export async function runDelete(args: string[], opts: DeleteOptions, io: Io): Promise<void> {
  const cascade = (opts.cascade ?? 'background').toLowerCase();
  const propagation =
    cascade === 'background' || cascade === 'true'
      ? 'Background'
      : cascade === 'foreground'
        ? 'Foreground'
        : cascade === 'orphan' || cascade === 'false'
          ? 'Orphan'
          : undefined;
  if (!propagation)
    throw new CliError(`invalid cascade value (${opts.cascade}). Must be "background", "foreground", or "orphan".`);
  const targets: { resource: string; ns: string; name: string }[] = [];
  const ns = namespaceOf(opts);
  if (opts.filename.length) {
    const { objects, errors } = await readManifests(opts.filename, io);
    if (errors.length) {
      for (const e of errors) io.err(`error: ${e.message}\n`);
      throw new ExitError(1);
    }
    for (const { object } of objects)
      targets.push({
        resource: mustResource(object.kind).plural,
        ns: object.metadata.namespace ?? ns,
        name: object.metadata.name ?? '',
      });
  }
  const client = await connect(io);
  if (args.length) {
    const { resource, names } = parseTargets(args);
    if (names.length === 0) {
      if (!opts.all && !opts.selector) throw new CliError('resource(s) were provided, but no name was specified');
      const q = opts.selector ? `?${new URLSearchParams({ labelSelector: opts.selector })}` : '';
      const list = await client.get<ListResult<ApiObject>>(apiPath(resource, ns) + q);
      if (list.items.length === 0) {
        io.err('No resources found\n');
        return;
      }
      for (const o of list.items) targets.push({ resource, ns, name: o.metadata.name ?? '' });
    } else for (const name of names) targets.push({ resource, ns, name });
  } else if (!opts.filename.length) {
    throw new CliError('You must provide one or more resources by argument or filename.');
  }
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: propagation };
  if (opts.gracePeriod !== undefined && opts.gracePeriod !== '-1') body.gracePeriodSeconds = Number(opts.gracePeriod);
  if (opts.force) body.gracePeriodSeconds = 0;
  let failed = false;
  const deleted: typeof targets = [];
  for (const t of targets) {
    try {
      await client.call('DELETE', apiPath(t.resource, t.ns, t.name), body);
      deleted.push(t);
      const label = singularQualified(t.resource);
      if (opts.output === 'name') io.out(`${label}/${t.name}\n`);
      else io.out(`${label} "${t.name}" ${opts.force ? 'force ' : ''}deleted\n`);
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      if (e.status.code === 404 && opts.ignoreNotFound) continue;
      failed = true;
      io.err(`Error from server (${e.status.reason}): ${e.status.message}\n`);
    }
  }
  if (opts.wait !== false) for (const t of deleted) await waitGone(client, t.resource, t.ns, t.name);
  if (failed) throw new ExitError(1);
}

/**
 * Waits until the object is gone, as kubectl's delete does: one more read, and if it is still
 * there (finalizers, a foreground cascade), its changes are followed until it is deleted.
 */
async function waitGone(client: ApiClient, resource: string, ns: string, name: string): Promise<void> {
  try {
    await client.get(apiPath(resource, ns, name));
  } catch (e) {
    if (e instanceof StatusError && e.status.code === 404) return;
    throw e;
  }
  await listAndWatch(
    client,
    apiPath(resource, ns),
    { onList: (items) => items.length === 0, onEvent: (ev) => ev.type === 'DELETED' },
    { query: new URLSearchParams({ fieldSelector: `metadata.name=${name}` }), informer: true },
  );
}
