// The resource metrics API (metrics.k8s.io/v1beta1), as metrics-server serves it in a cluster.
// PodMetrics: each running pod's containers' CPU (nanocores) and memory working set, sampled from
// the engine when asked (the engine samples over about a second). A pod with no running container
// has no metrics: a named one is NotFound, as metrics-server answers for it. NodeMetrics: the
// machine's own use, when the engine runs on this machine (the node is then this machine); with
// an engine elsewhere (or the simulated one) the node has none.
import { makeStatus, resourceByPlural, StatusError, type ContainerStatus, type Node, type Pod } from '../api/index.js';
import { METRICS_GROUP, METRICS_VERSION } from '../apiserver/index.js';
import type { ObjectStore } from '../store/index.js';
import type { ContainerRuntime } from '../runtime/cri.js';
import type { MachineUsage } from '../runtime/machine-usage.js';
import { requestMatcher } from './selection.js';

const GROUP_PATH = `^/apis/${METRICS_GROUP.replaceAll('.', '\\.')}/${METRICS_VERSION}`;
const METRICS_PATH = new RegExp(`${GROUP_PATH}(?:/namespaces/([^/]+))?/pods(?:/([^/]+))?$`);
const NODE_METRICS_PATH = new RegExp(`${GROUP_PATH}/nodes(?:/([^/]+))?$`);
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

interface NodeMetrics {
  kind: 'NodeMetrics';
  apiVersion: string;
  metadata: { name: string; creationTimestamp: string; labels?: Record<string, string> };
  timestamp: string;
  window: string;
  usage: { cpu: string; memory: string };
}

interface PodMetrics {
  kind: 'PodMetrics';
  apiVersion: string;
  metadata: { name: string; namespace: string; creationTimestamp: string; labels?: Record<string, string> };
  timestamp: string;
  window: string;
  containers: { name: string; usage: { cpu: string; memory: string } }[];
}

/** Go's duration text for a window of whole milliseconds (`1.004s`). */
const goSeconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))}s`;
const seconds = (iso: string) => iso.replace(/\.\d+Z$/, 'Z');
const usage = (cpuNanoCores: number, memoryBytes: number) => ({
  cpu: `${cpuNanoCores}n`,
  memory: `${Math.round(memoryBytes / 1024)}Ki`,
});

export class MetricsApi {
  /**
   * `machine`: samples this machine, where the node is this machine; undefined where it is not
   * (an engine on another host, the simulated engine).
   */
  constructor(
    private readonly store: ObjectStore,
    private readonly runtime: ContainerRuntime,
    private readonly machine?: () => Promise<MachineUsage>,
  ) {}

  static handles(pathname: string): boolean {
    return METRICS_PATH.test(pathname) || NODE_METRICS_PATH.test(pathname);
  }

  /** The answer to a GET of `pathname`: a list of pod or node metrics, or one. */
  async get(pathname: string, q: URLSearchParams): Promise<object> {
    const node = NODE_METRICS_PATH.exec(pathname);
    if (node) return this.nodes(node[1] && decodeURIComponent(node[1]), q);
    const [, nsPart, namePart] = METRICS_PATH.exec(pathname)!;
    const ns = nsPart && decodeURIComponent(nsPart);
    const name = namePart && decodeURIComponent(namePart);
    if (name) {
      const pod = ns ? this.store.get<Pod>('Pod', ns, name) : undefined;
      const m = pod && (await this.measure(pod));
      if (!m)
        throw new StatusError(
          makeStatus(404, 'NotFound', `podmetrics.${METRICS_GROUP} "${ns}/${name}" not found`, {
            name: `${ns}/${name}`,
            group: METRICS_GROUP,
            kind: 'pods',
          }),
        );
      return m;
    }
    const match = requestMatcher(q, resourceByPlural('pods')!);
    const pods = this.store
      .list<Pod>('Pod', ns || undefined)
      .filter((p) => p.status?.phase === 'Running' && (!match || match(p)));
    const measured = await Promise.all(pods.map((p) => this.measure(p)));
    return {
      kind: 'PodMetricsList',
      apiVersion: API_VERSION,
      metadata: {},
      items: measured.filter((m): m is PodMetrics => m !== undefined),
    };
  }

  /** NodeMetricsList, or a named node's NodeMetrics (NotFound when it has none). */
  private async nodes(name: string | undefined, q: URLSearchParams): Promise<object> {
    const match = requestMatcher(q, resourceByPlural('nodes')!);
    const nodes = this.store.list<Node>('Node').filter((n) => (name ? n.metadata.name === name : !match || match(n)));
    const sample = nodes.length && this.machine ? await this.machine().catch(() => undefined) : undefined;
    const items: NodeMetrics[] = sample
      ? nodes.map((n) => ({
          kind: 'NodeMetrics',
          apiVersion: API_VERSION,
          metadata: {
            name: n.metadata.name ?? '',
            creationTimestamp: seconds(new Date().toISOString()),
            ...(n.metadata.labels ? { labels: n.metadata.labels } : {}),
          },
          timestamp: seconds(sample.timestamp),
          window: goSeconds(sample.windowMs),
          usage: usage(sample.cpuNanoCores, sample.memoryWorkingSetBytes),
        }))
      : [];
    if (!name) return { kind: 'NodeMetricsList', apiVersion: API_VERSION, metadata: {}, items };
    if (!items.length)
      throw new StatusError(
        makeStatus(404, 'NotFound', `nodemetrics.${METRICS_GROUP} "${name}" not found`, {
          name,
          group: METRICS_GROUP,
          kind: 'nodes',
        }),
      );
    return items[0];
  }

  /** A pod's metrics, or undefined when none of its containers runs (or the engine gave none). */
  private async measure(pod: Pod): Promise<PodMetrics | undefined> {
    const running = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].filter(
      (s): s is ContainerStatus & { containerID: string } => Boolean(s.state?.running && s.containerID),
    );
    if (!running.length) return undefined;
    const samples = await Promise.all(
      running.map((s) =>
        this.runtime.stats(s.containerID.replace(/^[a-z]+:\/\//, '')).then(
          (u) => ({ name: s.name, u }),
          () => undefined,
        ),
      ),
    );
    const got = samples.filter((s) => s !== undefined);
    if (!got.length) return undefined;
    const m = pod.metadata;
    const timestamp = seconds(got[0].u.timestamp);
    return {
      kind: 'PodMetrics',
      apiVersion: API_VERSION,
      metadata: {
        name: m.name ?? '',
        namespace: m.namespace ?? '',
        creationTimestamp: seconds(new Date().toISOString()),
        ...(m.labels ? { labels: m.labels } : {}),
      },
      timestamp,
      window: goSeconds(got[0].u.windowMs),
      containers: got.map(({ name, u }) => ({
        name,
        usage: usage(u.cpuNanoCores, u.memoryWorkingSetBytes),
      })),
    };
  }
}
