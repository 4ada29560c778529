// The one table of the resources jobctl serves: the CLI's arguments, the server's routes,
// admission, the store's messages and (next) discovery all read it. Adding a kind is one row here
// and one strategy in the API server.

export interface Resource {
  kind: string;
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  singular: string;
  shortNames: readonly string[];
  namespaced: boolean;
  subresources: readonly string[];
  /**
   * The fields besides `metadata.name` and `metadata.namespace` a field selector may name, as the
   * kind's field label conversion in Kubernetes allows them; undefined for a kind without one
   * (the API server's default conversion, with its own message).
   */
  fieldLabels?: readonly string[];
}

export const RESOURCE_TABLE: readonly Resource[] = [
  {
    kind: 'Job',
    group: 'batch',
    version: 'v1',
    plural: 'jobs',
    singular: 'job',
    shortNames: [],
    namespaced: true,
    subresources: ['status'],
    fieldLabels: ['status.successful'],
  },
  {
    kind: 'Pod',
    group: '',
    version: 'v1',
    plural: 'pods',
    singular: 'pod',
    shortNames: ['po'],
    namespaced: true,
    subresources: ['attach', 'exec', 'log'],
    fieldLabels: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'spec.hostNetwork',
      'status.phase',
      'status.podIP',
      'status.podIPs',
      'status.nominatedNodeName',
    ],
  },
  {
    kind: 'Event',
    group: '',
    version: 'v1',
    plural: 'events',
    singular: 'event',
    shortNames: ['ev'],
    namespaced: true,
    subresources: [],
    fieldLabels: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
  },
  {
    kind: 'ConfigMap',
    group: '',
    version: 'v1',
    plural: 'configmaps',
    singular: 'configmap',
    shortNames: ['cm'],
    namespaced: true,
    subresources: [],
  },
  {
    kind: 'Secret',
    group: '',
    version: 'v1',
    plural: 'secrets',
    singular: 'secret',
    shortNames: [],
    namespaced: true,
    subresources: [],
    fieldLabels: ['type'],
  },
  {
    kind: 'Namespace',
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    shortNames: ['ns'],
    namespaced: false,
    subresources: [],
    fieldLabels: ['status.phase'],
  },
  {
    kind: 'Node',
    group: '',
    version: 'v1',
    plural: 'nodes',
    singular: 'node',
    shortNames: ['no'],
    namespaced: false,
    subresources: ['status'],
    fieldLabels: ['spec.unschedulable'],
  },
];

const BY_KIND = new Map(RESOURCE_TABLE.map((r) => [r.kind, r]));
const BY_PLURAL = new Map(RESOURCE_TABLE.map((r) => [r.plural, r]));
/** Every spelling kubectl accepts: plural, singular, short names, each also as `NAME.GROUP`. */
const BY_WORD = new Map(
  RESOURCE_TABLE.flatMap((r) =>
    [r.plural, r.singular, ...r.shortNames].flatMap((w) => [
      [w, r] as const,
      ...(r.group ? [[`${w}.${r.group}`, r] as const] : []),
    ]),
  ),
);

/** The resources of the `all` category (`get all`), in the order kubectl expands it (discovery's). */
export const CATEGORY_ALL: readonly string[] = ['pods', 'jobs'];

export const resourceByKind = (kind: string): Resource | undefined => BY_KIND.get(kind);
export const resourceByPlural = (plural: string): Resource | undefined => BY_PLURAL.get(plural);
/** `jobs`, `job`, `jobs.batch`, `po`, `cm`, ... (any case) → the resource. */
export const resolveResource = (word: string): Resource | undefined => BY_WORD.get(word.toLowerCase());

/** The resource of a kind; throws for a kind jobctl does not serve (a bug where it is called). */
export function mustResource(kind: string): Resource {
  const r = BY_KIND.get(kind);
  if (!r) throw new Error(`jobctl serves no ${kind} resource`);
  return r;
}

export const apiVersionOf = (r: Pick<Resource, 'group' | 'version'>): string =>
  r.group ? `${r.group}/${r.version}` : r.version;
/** `jobs.batch`, `pods`: how the API server names a resource in its messages. */
export const groupResource = (r: Resource): string => (r.group ? `${r.plural}.${r.group}` : r.plural);
/** `job.batch`, `pod`: how kubectl names an object's kind in `KIND/NAME`. */
export const kindQualified = (r: Resource): string => (r.group ? `${r.singular}.${r.group}` : r.singular);

/** `/apis/batch/v1/namespaces/NS/jobs/NAME`, `/api/v1/pods`. */
export function resourcePath(r: Resource, namespace?: string, name?: string): string {
  const enc = encodeURIComponent;
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = namespace && r.namespaced ? `/namespaces/${enc(namespace)}` : '';
  return `${base}${ns}/${r.plural}${name !== undefined ? `/${enc(name)}` : ''}`;
}
