// `jobctl describe job/NAME | pod/NAME | jobs | configmap/NAME | secret/NAME | namespace/NAME`.
import {
  resourceByPlural,
  type ApiObject,
  type ConfigMap,
  type Event,
  type Job,
  type Namespace,
  type Pod,
  type Secret,
} from '../api/index.js';
import type { ApiClient, ListResult } from '../client/index.js';
import { describeConfigMap, describeJob, describeNamespace, describePod, describeSecret } from '../print/describe.js';
import { apiPath, connect, namespaceOf, parseTargets, type GlobalOptions } from './context.js';
import { CliError, type Io } from './io.js';

async function eventsFor(client: ApiClient, obj: ApiObject): Promise<Event[]> {
  const q = new URLSearchParams({ fieldSelector: `involvedObject.uid=${obj.metadata.uid}` });
  return (await client.get<ListResult<Event>>(apiPath('events', obj.metadata.namespace) + `?${q}`)).items;
}

export async function runDescribe(args: string[], opts: GlobalOptions & { selector?: string }, io: Io): Promise<void> {
  const { resource, names } = parseTargets(args);
  if (resource === 'events')
    throw new CliError('jobctl describes jobs, pods, configmaps, secrets and namespaces, not events');
  const clustered = resourceByPlural(resource)?.namespaced === false;
  const ns = clustered ? undefined : namespaceOf(opts);
  const client = await connect(io);
  let objs: ApiObject[];
  if (names.length) objs = await Promise.all(names.map((n) => client.get<ApiObject>(apiPath(resource, ns, n))));
  else {
    const q = opts.selector ? `?${new URLSearchParams({ labelSelector: opts.selector })}` : '';
    objs = (await client.get<ListResult<ApiObject>>(apiPath(resource, ns) + q)).items;
    if (objs.length === 0) {
      io.err(ns ? `No resources found in ${ns} namespace.\n` : 'No resources found\n');
      return;
    }
  }
  const parts: string[] = [];
  for (const o of objs) {
    if (resource === 'namespaces') {
      parts.push(describeNamespace(o as Namespace));
      continue;
    }
    const events = await eventsFor(client, o);
    const now = Date.now();
    if (resource === 'jobs') parts.push(describeJob(o as Job, events, now));
    else if (resource === 'pods') parts.push(describePod(o as Pod, events, now));
    else if (resource === 'configmaps') parts.push(describeConfigMap(o as ConfigMap, events, now));
    else parts.push(describeSecret(o as Secret, events, now));
  }
  io.out(parts.join('\n\n'));
}
