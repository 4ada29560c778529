// Labels jobctl puts on every container it creates: they let a restarted server re-adopt its
// containers, and clean-up never touch a container that is not its own.
export const LABEL_INSTANCE = 'io.jobctl.instance';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
export const LABEL_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const LABEL_INIT = 'io.jobctl.init-container';
