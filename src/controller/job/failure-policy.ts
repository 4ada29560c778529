// podFailurePolicy (reference §2.11): rules in order, first match wins; no match means Count.
import type { Job, Pod, PodFailurePolicyRule } from '../../api/index.js';

export interface FailurePolicyMatch {
  action: PodFailurePolicyRule['action'];
  /** The rule's index in the policy. */
  rule: number;
  /** The FailJob message, Kubernetes' words. */
  message: string;
}

function matchExitCodes(rule: PodFailurePolicyRule, pod: Pod): { container: string; exitCode: number } | undefined {
  const req = rule.onExitCodes!;
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  for (const s of statuses) {
    if (req.containerName !== undefined && s.name !== req.containerName) continue;
    const t = s.state.terminated;
    if (!t || t.exitCode === 0) continue;
    const inSet = req.values.includes(t.exitCode);
    if ((req.operator === 'In' && inSet) || (req.operator === 'NotIn' && !inSet))
      return { container: s.name, exitCode: t.exitCode };
  }
  return undefined;
}

export function matchPodFailurePolicy(job: Job, pod: Pod): FailurePolicyMatch | undefined {
  const rules = job.spec.podFailurePolicy?.rules ?? [];
  const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule.onExitCodes) {
      const m = matchExitCodes(rule, pod);
      if (m)
        return {
          action: rule.action,
          rule: i,
          message: `Container ${m.container} for pod ${ref} failed with exit code ${m.exitCode} matching ${rule.action} rule at index ${i}`,
        };
    } else if (rule.onPodConditions) {
      for (const pattern of rule.onPodConditions) {
        const c = pod.status?.conditions?.find(
          (x) => x.type === pattern.type && x.status === (pattern.status ?? 'True'),
        );
        if (c)
          return {
            action: rule.action,
            rule: i,
            message: `Pod ${ref} has condition ${c.type} matching ${rule.action} rule at index ${i}`,
          };
      }
    }
  }
  return undefined;
}
