// Discovery, as a Kubernetes API server answers it (the legacy, non-aggregated form, which
// kubectl accepts): /api, /apis, /apis/<group>, and each group version's resource list, all read
// from the one resource table and the strategies (what a client may do with each kind).
import { apiVersionOf, RESOURCE_TABLE, type Resource } from '../api/index.js';
import { strategyFor } from './strategies/index.js';

const READ = ['get', 'list', 'watch'];

function verbsOf(r: Resource): string[] {
  const own = strategyFor(r.kind).clientWritable ? ['create', 'delete', 'patch', 'update'] : ['delete'];
  return [...own, ...READ].sort();
}

const SUBRESOURCE_VERBS: Record<string, string[]> = { status: ['get', 'patch', 'update'], log: ['get'] };

/** `GET /api`: the core group's versions. */
export function coreVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groups(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of RESOURCE_TABLE) {
    if (!r.group) continue;
    const versions = out.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    out.set(r.group, versions);
  }
  return out;
}

function group(name: string, versions: string[]): object {
  const list = versions.map((version) => ({ groupVersion: apiVersionOf({ group: name, version }), version }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** `GET /apis`: the named groups. */
export function groupList(): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups()].map(([n, v]) => group(n, v)) };
}

/** `GET /apis/<group>`, or undefined for a group jobctl does not serve. */
export function apiGroup(name: string): object | undefined {
  const versions = groups().get(name);
  return versions && { kind: 'APIGroup', apiVersion: 'v1', ...group(name, versions) };
}

/** `GET /api/v1`, `GET /apis/<group>/<version>`: the resources and what may be done with them. */
export function resourceList(groupName: string, version: string): object | undefined {
  const rows = RESOURCE_TABLE.filter((r) => r.group === groupName && r.version === version);
  if (rows.length === 0) return undefined;
  const resources = rows.flatMap((r) => [
    {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: verbsOf(r),
      ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
      ...(r.kind === 'Job' || r.kind === 'Pod' ? { categories: ['all'] } : {}),
    },
    ...r.subresources.map((sub) => ({
      name: `${r.plural}/${sub}`,
      singularName: '',
      namespaced: r.namespaced,
      kind: sub === 'log' ? 'Pod' : r.kind,
      verbs: SUBRESOURCE_VERBS[sub] ?? ['get'],
    })),
  ]);
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: apiVersionOf({ group: groupName, version }),
    resources,
  };
}

/** Discovery's documents: `/api`, `/apis`, `/api/v1`, `/apis/batch`, `/apis/batch/v1`. */
export function discoveryAt(path: string, serverAddress: string): object | undefined {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'api') {
    if (parts.length === 1) return coreVersions(serverAddress);
    if (parts.length === 2) return resourceList('', parts[1]);
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return groupList();
    if (parts.length === 2) return apiGroup(parts[1]);
    if (parts.length === 3) return resourceList(parts[1], parts[2]);
  }
  return undefined;
}
