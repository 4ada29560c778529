// `jobctl describe job/NAME | pod/NAME | jobs | configmap/NAME | secret/NAME | namespace/NAME`.
import {
  StatusError,
  type ApiObject,
  type ConfigMap,
  type Event,
  type Job,
  type Namespace,
  type Node,
  type Pod,
  type Secret,
} from '../api/index.js';
import type { ApiClient } from '../client/index.js';
import { describeConfigMap, describeJob, describeNamespace, describePod, describeSecret } from '../print/describe.js';
import { describeNode, type NodeLease } from '../print/describe-node.js';
import { apiPath, connect, getNamed, namespaceFor, parseTargets, type GlobalOptions } from './context.js';
import { CliError, type Io } from './io.js';

/**
 * The object's events, asked for as kubectl's describers ask: by its name, namespace, kind (not
 * for a pod) and uid, in pages of 500. Secrets and namespaces show none.
 */
async function eventsFor(client: ApiClient, obj: ApiObject): Promise<Event[]> {
  if (obj.kind === 'Secret' || obj.kind === 'Namespace') return [];
  const m = obj.metadata;
  const search = async (uid: string | undefined) => {
    const terms = [`involvedObject.name=${m.name}`, `involvedObject.namespace=${m.namespace ?? ''}`];
    if (obj.kind !== 'Pod') terms.push(`involvedObject.kind=${obj.kind}`);
    terms.push(`involvedObject.uid=${uid}`);
    const q = new URLSearchParams({ fieldSelector: terms.join(',') });
    return (await client.listAll<Event>(apiPath('events', m.namespace), q)).items;
  };
  const events = await search(m.uid);
  // A node's events are also recorded with its name as the uid (the kubelet's): both, as kubectl asks.
  if (obj.kind === 'Node') events.push(...(await search(m.name)));
  return events;
}

/** The node's pods that have not finished, in every namespace. */
async function podsOnNode(client: ApiClient, name: string): Promise<Pod[]> {
  const fieldSelector = `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed`;
  return (await client.listAll<Pod>(apiPath('pods', undefined), new URLSearchParams({ fieldSelector }))).items;
}

/** The node's lease, as kubectl reads it: a cluster's kubelet renews one; jobctl serves none. */
async function leaseOf(client: ApiClient, name: string): Promise<NodeLease> {
  type Lease = { spec?: { holderIdentity?: string; acquireTime?: string; renewTime?: string } };
  return client.get<Lease>(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`).then(
    (l) => ({ holder: l.spec?.holderIdentity, acquired: l.spec?.acquireTime, renewed: l.spec?.renewTime }),
    (e: unknown) => ({ error: e instanceof StatusError ? e.status.message : String(e) }),
  );
}

/**
 * The names to describe, found as kubectl finds them: those given, or with no name the list. One
 * name given as `TYPE NAME` that does not exist is a prefix: `describe job hello` describes
 * every job whose name starts with it (`prefixed`), or fails as the name did.
 */
async function namesToDescribe(
  client: ApiClient,
  resource: string,
  ns: string | undefined,
  target: { names: string[]; prefix: boolean },
  selector: string | undefined,
): Promise<{ names: string[]; prefixed: boolean }> {
  const listed = async (q?: URLSearchParams) =>
    (await client.listAll<ApiObject>(apiPath(resource, ns), q)).items.map((o) => o.metadata.name ?? '');
  if (!target.names.length) {
    const q = selector ? new URLSearchParams({ labelSelector: selector }) : undefined;
    return { names: await listed(q), prefixed: false };
  }
  try {
    for (const name of target.names) await getNamed(client, resource, ns, name);
    return { names: target.names, prefixed: false };
  } catch (e) {
    if (!(target.prefix && e instanceof StatusError && e.status.code === 404)) throw e;
    const names = (await listed()).filter((n) => n.startsWith(target.names[0]));
    if (!names.length) throw e;
    return { names, prefixed: true };
  }
}

export async function runDescribe(args: string[], opts: GlobalOptions & { selector?: string }, io: Io): Promise<void> {
  const { resource, names } = parseTargets(args);
  if (resource === 'events')
    throw new CliError('jobctl describes jobs, pods, configmaps, secrets, namespaces and nodes, not events');
  const ns = namespaceFor(resource, opts);
  const client = await connect(io);
  const prefix = args.length === 2 && !args[0].includes('/');
  const found = await namesToDescribe(client, resource, ns, { names, prefix }, opts.selector);
  if (found.names.length === 0) {
    io.err(ns ? `No resources found in ${ns} namespace.\n` : 'No resources found\n');
    return;
  }
  const parts: string[] = [];
  for (const name of found.names) {
    // Read again by the describer, as kubectl's is: the newest version, whatever found it.
    const o = await client.get<ApiObject>(apiPath(resource, ns, name));
    // In kubectl's order: a node's pods, then the events, then its lease.
    const pods = resource === 'nodes' ? await podsOnNode(client, name) : [];
    const events = await eventsFor(client, o);
    const now = Date.now();
    if (resource === 'namespaces') parts.push(describeNamespace(o as Namespace));
    else if (resource === 'nodes') parts.push(describeNode(o as Node, pods, events, await leaseOf(client, name), now));
    else if (resource === 'jobs') parts.push(describeJob(o as Job, events, now));
    else if (resource === 'pods') parts.push(describePod(o as Pod, events, now));
    else if (resource === 'configmaps') parts.push(describeConfigMap(o as ConfigMap, events, now));
    else parts.push(describeSecret(o as Secret, events, now));
  }
  io.out(found.prefixed ? parts.map((p) => `${p}\n`).join('') : parts.join('\n\n'));
}
