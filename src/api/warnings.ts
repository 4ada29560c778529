// Warnings returned with a successful create/update, printed by the CLI as `Warning: <text>`.
// The chapter's pitfalls, Kubernetes' own Job warnings, and fields a single local engine ignores.
import { isDns1123Label } from './names.js';
import type { Job, PodSpec } from './types.js';

/**
 * Pod spec fields that only mean something to a multi-node scheduler or a cluster's identity
 * (the scheduler here reads nodeSelector, required node affinity, tolerations, priority and
 * overhead: scheduling.ts).
 */
export const NO_EFFECT_POD_FIELDS = [
  'serviceAccountName',
  'serviceAccount',
  'automountServiceAccountToken',
  'priorityClassName',
  'preemptionPolicy',
  'schedulerName',
  'nodeName',
  'topologySpreadConstraints',
  'runtimeClassName',
  'imagePullSecrets',
  'readinessGates',
  'dnsConfig',
  'schedulingGates',
  'resourceClaims',
  'os',
  'hostAliases',
  'setHostnameAsFQDN',
  'enableServiceLinks',
  'dnsPolicy',
] as const;

/** Defaults the server writes itself: not worth a warning when they carry the default value. */
const DEFAULTED: Partial<Record<string, unknown>> = {
  schedulerName: 'default-scheduler',
  enableServiceLinks: true,
  dnsPolicy: 'ClusterFirst',
};

function isSet(spec: PodSpec, field: string): boolean {
  const v = spec[field];
  if (v === undefined || v === null) return false;
  if (field in DEFAULTED && DEFAULTED[field] === v) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** Warnings for a Job as written by the user (before server defaults fill in the pod template). */
export function computeJobWarnings(job: Job): string[] {
  const out: string[] = [];
  const name = job.metadata?.name ?? '';
  const spec = job.spec;
  if (name && isDns1123Label(name).length > 0) {
    const why = name.includes('.') ? 'must not contain dots' : isDns1123Label(name).join('; ');
    out.push(
      `metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [${why}]`,
    );
  }
  if (!spec) return out;
  if (spec.ttlSecondsAfterFinished === undefined) {
    out.push(
      'spec.ttlSecondsAfterFinished is not set: this Job and its pods stay after it finishes until you delete them; set it to have them cleaned up',
    );
  }
  const pod = spec.template?.spec;
  const containers = [
    ...(pod?.initContainers ?? []).map((c, i) => ({ c, p: `initContainers[${i}]` })),
    ...(pod?.containers ?? []).map((c, i) => ({ c, p: `containers[${i}]` })),
  ];
  const unlimited = containers.filter(({ c }) => !c.resources?.limits || Object.keys(c.resources.limits).length === 0);
  if (unlimited.length > 0) {
    const paths = unlimited.map(({ p }) => `spec.template.spec.${p}.resources.limits`).join(', ');
    out.push(`${paths}: not set: a greedy Job can starve the machine; set cpu and memory limits`);
  }
  if (
    typeof spec.completions === 'number' &&
    typeof spec.parallelism === 'number' &&
    spec.completions < spec.parallelism
  ) {
    out.push(
      `spec.parallelism: ${spec.parallelism} is greater than spec.completions: ${spec.completions}: only completions - succeeded pods ever run at once, so at most ${spec.completions} will; to race pods and stop the losers, use an Indexed Job with a successPolicy`,
    );
  }
  if (spec.managedBy !== undefined && spec.managedBy !== 'kubernetes.io/job-controller') {
    out.push(
      `spec.managedBy: this Job is left to "${spec.managedBy}": jobctl's job controller creates no pods and writes no status for it`,
    );
  }
  // Handing a container the host is allowed (it is the user's own machine), never silently.
  if (pod?.hostNetwork)
    out.push(
      "spec.template.spec.hostNetwork: the pods share this machine's network: they can reach every local service and bind its ports",
    );
  containers.forEach(({ c, p }) => {
    const sc = c.securityContext as { privileged?: boolean } | undefined;
    if (sc?.privileged)
      out.push(`spec.template.spec.${p}.securityContext.privileged: the container gets full control of this machine`);
  });
  (pod?.volumes ?? []).forEach((v, i) => {
    const hp = (v.hostPath as { path?: string } | undefined)?.path?.replace(/\/+$/, '') ?? undefined;
    if (hp === '' || hp === '/')
      out.push(`spec.template.spec.volumes[${i}].hostPath: mounts this machine's root filesystem into the pod`);
    else if (hp && /(^|\/)docker\.sock$|^\/var\/run$|^\/run$/.test(hp))
      out.push(
        `spec.template.spec.volumes[${i}].hostPath: ${hp} hands the pod the Docker engine, and with it root on this machine`,
      );
  });
  (pod?.volumes ?? []).forEach((v, i) => {
    const kind = Object.keys(v).find((k) => k !== 'name');
    if (kind && !['emptyDir', 'hostPath', 'configMap', 'secret', 'downwardAPI'].includes(kind)) {
      out.push(
        `spec.template.spec.volumes[${i}].${kind}: jobctl's single local engine cannot provide ${kind} volumes; the pod will wait with FailedMount (use emptyDir or hostPath locally)`,
      );
    }
  });
  if (pod) {
    const affinity = (pod.affinity ?? {}) as Record<string, unknown>;
    const ignored: string[] = NO_EFFECT_POD_FIELDS.filter((f) => isSet(pod, f));
    // One node: pods are placed together whatever their pod (anti-)affinity says.
    for (const k of ['podAffinity', 'podAntiAffinity']) if (affinity[k]) ignored.push(`affinity.${k}`);
    if (ignored.length > 0) {
      out.push(
        `${ignored.map((f) => `spec.template.spec.${f}`).join(', ')}: no effect on jobctl's single local Docker engine; accepted and ignored`,
      );
    }
  }
  return out;
}
