// Discovery, as a Kubernetes API server answers it: the aggregated form kubectl asks for first
// (one document each for /api and /apis), and the legacy one (/api, /apis, /apis/<group>, each
// group version's resource list), all read from the one resource table and the strategies (what
// a client may do with each kind).
import { apiVersionOf, CATEGORY_ALL, RESOURCE_TABLE, resourceByPlural, type Resource } from '../api/index.js';
import { strategyFor } from './strategies/index.js';

const READ = ['get', 'list', 'watch'];
/** The kinds in the `all` category (`kubectl get all`). */
const CATEGORIZED = new Set(CATEGORY_ALL.map((plural) => resourceByPlural(plural)?.kind));

function verbsOf(r: Resource): string[] {
  const own = strategyFor(r.kind).clientWritable ? ['create', 'delete', 'patch', 'update'] : ['delete'];
  return [...own, ...READ].sort();
}

const SUBRESOURCE_VERBS: Record<string, string[]> = {
  status: ['get', 'patch', 'update'],
  log: ['get'],
  exec: ['create', 'get'],
  attach: ['create', 'get'],
};
/** The kind a subresource answers with, when it is not the resource's own. */
const SUBRESOURCE_KIND: Record<string, string> = { log: 'Pod', exec: 'PodExecOptions', attach: 'PodAttachOptions' };

/**
 * The resource metrics API (metrics.k8s.io, metrics-server's in a cluster), which the server
 * answers from the engine's stats for `top`: pods only (jobctl measures no node of its own).
 */
export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
const METRICS_RESOURCES = [
  { plural: 'nodes', singular: '', kind: 'NodeMetrics', namespaced: false },
  { plural: 'pods', singular: '', kind: 'PodMetrics', namespaced: true },
];

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
  out.set(METRICS_GROUP, [METRICS_VERSION]);
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
  if (groupName === METRICS_GROUP && version === METRICS_VERSION)
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: `${METRICS_GROUP}/${METRICS_VERSION}`,
      resources: METRICS_RESOURCES.map((r) => ({
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ['get', 'list'],
      })),
    };
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
      ...(CATEGORIZED.has(r.kind) ? { categories: ['all'] } : {}),
    },
    ...r.subresources.map((sub) => ({
      name: `${r.plural}/${sub}`,
      singularName: '',
      namespaced: r.namespaced,
      kind: SUBRESOURCE_KIND[sub] ?? r.kind,
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

/** The content type of an aggregated discovery answer (apidiscovery.k8s.io/v2). */
export const AGGREGATED_DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether an Accept header asks for aggregated discovery (v2; kubectl 1.32 names it first). */
export const wantsAggregated = (accept: string | undefined): boolean =>
  (accept ?? '').split(',').some((t) => t.replace(/\s/g, '') === AGGREGATED_DISCOVERY);

/** `GET /api` (core) or `GET /apis` (named groups) in the aggregated form: every resource at once. */
export function aggregatedDiscovery(core: boolean): object {
  const names = core ? [''] : [...groups().keys()].filter((n) => n !== METRICS_GROUP);
  const items = names.map((name) => ({
    metadata: name ? { name } : {},
    versions: (name ? (groups().get(name) ?? []) : ['v1']).map((version) => ({
      version,
      resources: RESOURCE_TABLE.filter((r) => r.group === name && r.version === version).map((r) => {
        const responseKind = { group: r.group, version: r.version, kind: r.kind };
        return {
          resource: r.plural,
          responseKind,
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: r.singular,
          verbs: verbsOf(r),
          ...(r.shortNames.length ? { shortNames: [...r.shortNames] } : {}),
          ...(CATEGORIZED.has(r.kind) ? { categories: ['all'] } : {}),
          ...(r.subresources.length
            ? {
                subresources: r.subresources.map((sub) => ({
                  subresource: sub,
                  responseKind: SUBRESOURCE_KIND[sub]
                    ? { group: '', version: 'v1', kind: SUBRESOURCE_KIND[sub] }
                    : responseKind,
                  verbs: SUBRESOURCE_VERBS[sub] ?? ['get'],
                })),
              }
            : {}),
        };
      }),
      freshness: 'Current',
    })),
  }));
  if (!core)
    items.push({
      metadata: { name: METRICS_GROUP },
      versions: [
        {
          version: METRICS_VERSION,
          resources: METRICS_RESOURCES.map((r) => ({
            resource: r.plural,
            responseKind: { group: METRICS_GROUP, version: METRICS_VERSION, kind: r.kind },
            scope: r.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: r.singular,
            verbs: ['get', 'list'],
          })),
          freshness: 'Current',
        },
      ],
    });
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
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
