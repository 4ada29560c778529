// The resource metrics API for pods (metrics.k8s.io/v1beta1 PodMetrics), as metrics-server serves
// it in a cluster: each running pod's containers' CPU (nanocores) and memory working set, sampled
// from the engine when asked (the engine samples over about a second). A pod with no running
// container has no metrics: a named one is NotFound, as metrics-server answers for it.
import { makeStatus, resourceByPlural, StatusError, type ContainerStatus, type Pod } from '../api/index.js';
import { METRICS_GROUP, METRICS_VERSION } from '../apiserver/index.js';
import type { ObjectStore } from '../store/index.js';
import type { ContainerRuntime } from '../runtime/cri.js';
import { requestMatcher } from './selection.js';

const METRICS_PATH = new RegExp(
  `^/apis/${METRICS_GROUP.replaceAll('.', '\\.')}/${METRICS_VERSION}(?:/namespaces/([^/]+))?/pods(?:/([^/]+))?$`,
);
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

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

export class MetricsApi {
  constructor(
    private readonly store: ObjectStore,
    private readonly runtime: ContainerRuntime,
  ) {}

  static handles(pathname: string): boolean {
    return METRICS_PATH.test(pathname);
  }

  /** The answer to a GET of `pathname` (a PodMetricsList, or one PodMetrics). */
  async get(pathname: string, q: URLSearchParams): Promise<object> {
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
    const timestamp = got[0].u.timestamp.replace(/\.\d+Z$/, 'Z');
    return {
      kind: 'PodMetrics',
      apiVersion: API_VERSION,
      metadata: {
        name: m.name ?? '',
        namespace: m.namespace ?? '',
        creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        ...(m.labels ? { labels: m.labels } : {}),
      },
      timestamp,
      window: goSeconds(got[0].u.windowMs),
      containers: got.map(({ name, u }) => ({
        name,
        usage: { cpu: `${u.cpuNanoCores}n`, memory: `${Math.round(u.memoryWorkingSetBytes / 1024)}Ki` },
      })),
    };
  }
}
