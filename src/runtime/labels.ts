// Labels jobctl puts on every container it creates: they let a restarted server re-adopt its
// containers, and clean-up never touch a container that is not its own.
import type { Pod } from '../api/index.js';
export const LABEL_INSTANCE = 'io.jobctl.instance';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
export const LABEL_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const LABEL_INIT = 'io.jobctl.init-container';

/** The labels naming this instance and the pod, on its containers and its runtime volumes. */
export function podLabels(pod: Pod, instanceId: string): Record<string, string> {
  const m = pod.metadata;
  return {
    [LABEL_INSTANCE]: instanceId,
    [LABEL_POD_NAMESPACE]: m.namespace ?? 'default',
    [LABEL_POD_NAME]: m.name ?? '',
    [LABEL_POD_UID]: m.uid ?? '',
  };
}
