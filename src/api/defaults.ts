// Defaulting, as the API server's defaulters (pkg/apis/batch/v1/defaults.go, core/v1 defaults) apply it.
import type { Container, Job, PodSpec, PodTemplateSpec } from './types.js';
import { newUid } from './names.js';

export const MAX_INT32 = 2147483647;
export const DEFAULT_BACKOFF_LIMIT = 6;
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
export const DEFAULT_NAMESPACE = 'default';

export const LABEL_CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';
export const LABEL_JOB_NAME = 'batch.kubernetes.io/job-name';
export const LEGACY_LABEL_CONTROLLER_UID = 'controller-uid';
export const LEGACY_LABEL_JOB_NAME = 'job-name';

/** `Always` for `:latest` or untagged images, else `IfNotPresent` (digests count as tagged). */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return 'Always';
  return image.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: Container): void {
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  const { limits, requests } = c.resources;
  if (limits && Object.keys(limits).length > 0) {
    const req = (c.resources.requests = { ...(requests ?? {}) });
    for (const [k, v] of Object.entries(limits)) req[k] ??= v;
  }
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const e of c.env ?? []) {
    const fieldRef = e.valueFrom?.fieldRef as { apiVersion?: string } | undefined;
    if (fieldRef) fieldRef.apiVersion ??= 'v1';
  }
}

export function defaultPodSpec(spec: PodSpec): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) {
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length === 0) v.emptyDir = {};
    for (const key of ['configMap', 'secret', 'downwardAPI'] as const) {
      const src = v[key] as { defaultMode?: number } | undefined;
      if (src) src.defaultMode ??= 0o644;
    }
    const hostPath = v.hostPath as { type?: string } | undefined;
    if (hostPath) hostPath.type ??= '';
  }
}

function defaultTemplate(t: PodTemplateSpec): void {
  t.metadata ??= {};
  t.spec ??= { containers: [] };
  defaultPodSpec(t.spec);
}

/** Applies the Job defaults of reference §1.1 in place. Idempotent. */
export function defaultJob(job: Job): Job {
  job.metadata ??= {};
  job.metadata.namespace ??= DEFAULT_NAMESPACE;
  const spec = (job.spec ??= { template: { spec: { containers: [] } } });
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? MAX_INT32 : DEFAULT_BACKOFF_LIMIT;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const p of rule.onPodConditions ?? []) p.status ??= 'True';
  }
  spec.template ??= { spec: { containers: [] } };
  defaultTemplate(spec.template);
  const templateLabels = spec.template.metadata?.labels;
  if (
    (!job.metadata.labels || Object.keys(job.metadata.labels).length === 0) &&
    templateLabels &&
    Object.keys(templateLabels).length > 0
  ) {
    job.metadata.labels = { ...templateLabels };
  }
  return job;
}

/**
 * What the server does at create time (registry strategy PrepareForCreate + generateSelector):
 * identity, generated labels and selector, a clean status; then the defaults once more, as a read
 * back from storage would apply them.
 */
export function prepareJobForCreate(job: Job, now: Date, uid = newUid()): Job {
  defaultJob(job);
  const meta = job.metadata;
  meta.uid = uid;
  meta.creationTimestamp = toRfc3339(now);
  meta.generation = 1;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  job.status = {};
  if (!job.spec.manualSelector) {
    const labels = (job.spec.template.metadata!.labels ??= {});
    labels[LEGACY_LABEL_CONTROLLER_UID] ??= uid;
    labels[LABEL_CONTROLLER_UID] ??= uid;
    labels[LEGACY_LABEL_JOB_NAME] ??= meta.name ?? '';
    labels[LABEL_JOB_NAME] ??= meta.name ?? '';
    if (!job.spec.selector) job.spec.selector = { matchLabels: { [LABEL_CONTROLLER_UID]: uid } };
  }
  return defaultJob(job);
}

/** RFC 3339 in UTC with whole seconds, as Kubernetes serialises metav1.Time. */
export function toRfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
