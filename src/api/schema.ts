// The shapes jobctl decodes strictly, as the API server's strict field validation does:
// an unknown field or a value of the wrong type is an error naming its path.
// Sub-trees jobctl does not interpret (affinity, probes, ...) are typed loosely as `object`.

export type Schema =
  | { t: 'string' }
  | { t: 'int32' }
  | { t: 'int64' }
  | { t: 'bool' }
  | { t: 'quantity' }
  | { t: 'intOrString' }
  | { t: 'object' } // any JSON object, not inspected
  | { t: 'any'; as?: 'Time' | 'MicroTime' } // any JSON value; `as` names what it holds (for OpenAPI)
  | { t: 'struct'; name: string; fields: () => Record<string, Schema> }
  | { t: 'map'; value: Schema }
  | { t: 'list'; item: Schema };

export const str: Schema = { t: 'string' };
export const i32: Schema = { t: 'int32' };
export const i64: Schema = { t: 'int64' };
export const bool: Schema = { t: 'bool' };
export const qty: Schema = { t: 'quantity' };
export const obj: Schema = { t: 'object' };
/** A timestamp (RFC 3339 in JSON; YAML may hold a date). */
export const time: Schema = { t: 'any', as: 'Time' };
export const strMap: Schema = { t: 'map', value: str };
export const strList: Schema = { t: 'list', item: str };
export const list = (item: Schema): Schema => ({ t: 'list', item });
export const struct = (name: string, fields: () => Record<string, Schema>): Schema => ({ t: 'struct', name, fields });

export const ownerReference = struct('OwnerReference', () => ({
  apiVersion: str,
  kind: str,
  name: str,
  uid: str,
  controller: bool,
  blockOwnerDeletion: bool,
}));

export const objectMeta = struct('ObjectMeta', () => ({
  name: str,
  generateName: str,
  namespace: str,
  uid: str,
  resourceVersion: str,
  generation: i64,
  creationTimestamp: time,
  deletionTimestamp: time,
  deletionGracePeriodSeconds: i64,
  labels: strMap,
  annotations: strMap,
  ownerReferences: list(ownerReference),
  finalizers: strList,
  managedFields: list(obj),
  selfLink: str,
}));

export const labelSelector = struct('LabelSelector', () => ({
  matchLabels: strMap,
  matchExpressions: list(struct('LabelSelectorRequirement', () => ({ key: str, operator: str, values: strList }))),
}));

const keySelector = (name: string) => struct(name, () => ({ name: str, key: str, optional: bool }));
const objectFieldSelector = struct('ObjectFieldSelector', () => ({ apiVersion: str, fieldPath: str }));
const resourceFieldSelector = struct('ResourceFieldSelector', () => ({
  containerName: str,
  resource: str,
  divisor: qty,
}));

const envVar = struct('EnvVar', () => ({
  name: str,
  value: str,
  valueFrom: struct('EnvVarSource', () => ({
    fieldRef: objectFieldSelector,
    resourceFieldRef: resourceFieldSelector,
    configMapKeyRef: keySelector('ConfigMapKeySelector'),
    secretKeyRef: keySelector('SecretKeySelector'),
    fileKeyRef: obj,
  })),
}));

const envFrom = struct('EnvFromSource', () => ({
  prefix: str,
  configMapRef: struct('ConfigMapEnvSource', () => ({ name: str, optional: bool })),
  secretRef: struct('SecretEnvSource', () => ({ name: str, optional: bool })),
}));

const resources = struct('ResourceRequirements', () => ({
  limits: { t: 'map', value: qty },
  requests: { t: 'map', value: qty },
  claims: list(obj),
}));

const volumeMount = struct('VolumeMount', () => ({
  name: str,
  mountPath: str,
  readOnly: bool,
  subPath: str,
  subPathExpr: str,
  mountPropagation: str,
  recursiveReadOnly: str,
}));

const capabilities = struct('Capabilities', () => ({ add: strList, drop: strList }));

const securityContext = struct('SecurityContext', () => ({
  runAsUser: i64,
  runAsGroup: i64,
  runAsNonRoot: bool,
  readOnlyRootFilesystem: bool,
  privileged: bool,
  allowPrivilegeEscalation: bool,
  capabilities,
  procMount: str,
  seLinuxOptions: obj,
  seccompProfile: obj,
  appArmorProfile: obj,
  windowsOptions: obj,
}));

const containerPort = struct('ContainerPort', () => ({
  name: str,
  containerPort: i32,
  hostPort: i32,
  protocol: str,
  hostIP: str,
}));

const container = struct('Container', () => ({
  name: str,
  image: str,
  command: strList,
  args: strList,
  workingDir: str,
  env: list(envVar),
  envFrom: list(envFrom),
  resources,
  volumeMounts: list(volumeMount),
  imagePullPolicy: str,
  terminationMessagePath: str,
  terminationMessagePolicy: str,
  securityContext,
  ports: list(containerPort),
  livenessProbe: obj,
  readinessProbe: obj,
  startupProbe: obj,
  lifecycle: obj,
  stdin: bool,
  stdinOnce: bool,
  tty: bool,
  volumeDevices: list(obj),
  resizePolicy: list(obj),
  restartPolicy: str,
}));

const keyToPath = struct('KeyToPath', () => ({ key: str, path: str, mode: i32 }));

const volume = struct('Volume', () => ({
  name: str,
  emptyDir: struct('EmptyDirVolumeSource', () => ({ medium: str, sizeLimit: qty })),
  hostPath: struct('HostPathVolumeSource', () => ({ path: str, type: str })),
  configMap: struct('ConfigMapVolumeSource', () => ({
    name: str,
    items: list(keyToPath),
    defaultMode: i32,
    optional: bool,
  })),
  secret: struct('SecretVolumeSource', () => ({
    secretName: str,
    items: list(keyToPath),
    defaultMode: i32,
    optional: bool,
  })),
  downwardAPI: struct('DownwardAPIVolumeSource', () => ({
    items: list(
      struct('DownwardAPIVolumeFile', () => ({
        path: str,
        fieldRef: objectFieldSelector,
        resourceFieldRef: resourceFieldSelector,
        mode: i32,
      })),
    ),
    defaultMode: i32,
  })),
  persistentVolumeClaim: struct('PersistentVolumeClaimVolumeSource', () => ({ claimName: str, readOnly: bool })),
  projected: obj,
  nfs: obj,
  csi: obj,
  ephemeral: obj,
  image: obj,
}));

const podSecurityContext = struct('PodSecurityContext', () => ({
  runAsUser: i64,
  runAsGroup: i64,
  runAsNonRoot: bool,
  fsGroup: i64,
  supplementalGroups: list(i64),
  fsGroupChangePolicy: str,
  seLinuxOptions: obj,
  seccompProfile: obj,
  appArmorProfile: obj,
  sysctls: list(obj),
  windowsOptions: obj,
  supplementalGroupsPolicy: str,
  seLinuxChangePolicy: str,
}));

export const podSpec = struct('PodSpec', () => ({
  containers: list(container),
  initContainers: list(container),
  ephemeralContainers: list(obj),
  restartPolicy: str,
  terminationGracePeriodSeconds: i64,
  activeDeadlineSeconds: i64,
  dnsPolicy: str,
  dnsConfig: obj,
  nodeSelector: strMap,
  serviceAccountName: str,
  serviceAccount: str,
  automountServiceAccountToken: bool,
  nodeName: str,
  hostNetwork: bool,
  hostPID: bool,
  hostIPC: bool,
  shareProcessNamespace: bool,
  securityContext: podSecurityContext,
  imagePullSecrets: list(obj),
  hostname: str,
  subdomain: str,
  affinity: obj,
  schedulerName: str,
  tolerations: list(obj),
  hostAliases: list(obj),
  priorityClassName: str,
  priority: i32,
  readinessGates: list(obj),
  runtimeClassName: str,
  enableServiceLinks: bool,
  preemptionPolicy: str,
  overhead: { t: 'map', value: qty },
  topologySpreadConstraints: list(obj),
  setHostnameAsFQDN: bool,
  os: obj,
  hostUsers: bool,
  schedulingGates: list(obj),
  resourceClaims: list(obj),
  resources,
  volumes: list(volume),
}));

export const podTemplateSpec = struct('PodTemplateSpec', () => ({ metadata: objectMeta, spec: podSpec }));

const jobSpec = struct('JobSpec', () => ({
  parallelism: i32,
  completions: i32,
  activeDeadlineSeconds: i64,
  backoffLimit: i32,
  backoffLimitPerIndex: i32,
  maxFailedIndexes: i32,
  ttlSecondsAfterFinished: i32,
  suspend: bool,
  completionMode: str,
  podReplacementPolicy: str,
  manualSelector: bool,
  selector: labelSelector,
  template: podTemplateSpec,
  managedBy: str,
  podFailurePolicy: struct('PodFailurePolicy', () => ({
    rules: list(
      struct('PodFailurePolicyRule', () => ({
        action: str,
        onExitCodes: struct('PodFailurePolicyOnExitCodesRequirement', () => ({
          containerName: str,
          operator: str,
          values: list(i32),
        })),
        onPodConditions: list(struct('PodFailurePolicyOnPodConditionsPattern', () => ({ type: str, status: str }))),
      })),
    ),
  })),
  successPolicy: struct('SuccessPolicy', () => ({
    rules: list(struct('SuccessPolicyRule', () => ({ succeededIndexes: str, succeededCount: i32 }))),
  })),
}));

/** A condition with a probe time (a Job's, a pod's), under its type's name. */
export const probedCondition = (name: string): Schema =>
  struct(name, () => ({
    type: str,
    status: str,
    reason: str,
    message: str,
    lastProbeTime: time,
    lastTransitionTime: time,
  }));
const condition = probedCondition('JobCondition');

const jobStatus = struct('JobStatus', () => ({
  conditions: list(condition),
  startTime: time,
  completionTime: time,
  active: i32,
  ready: i32,
  succeeded: i32,
  failed: i32,
  terminating: i32,
  completedIndexes: str,
  failedIndexes: str,
  uncountedTerminatedPods: struct('UncountedTerminatedPods', () => ({ succeeded: strList, failed: strList })),
}));

const typeMeta = { apiVersion: str, kind: str };

export const jobSchema = struct('Job', () => ({ ...typeMeta, metadata: objectMeta, spec: jobSpec, status: jobStatus }));
export const configMapSchema = struct('ConfigMap', () => ({
  ...typeMeta,
  metadata: objectMeta,
  data: strMap,
  binaryData: strMap,
  immutable: bool,
}));
export const secretSchema = struct('Secret', () => ({
  ...typeMeta,
  metadata: objectMeta,
  type: str,
  data: strMap,
  stringData: strMap,
  immutable: bool,
}));

export const namespaceSchema = struct('Namespace', () => ({
  ...typeMeta,
  metadata: objectMeta,
  spec: struct('NamespaceSpec', () => ({ finalizers: strList })),
  status: struct('NamespaceStatus', () => ({
    phase: str,
    conditions: list(
      struct('NamespaceCondition', () => ({
        type: str,
        status: str,
        reason: str,
        message: str,
        lastTransitionTime: time,
      })),
    ),
  })),
}));

/** The schema of a kind jobctl decodes, by kind. */
export const schemaOfKind = (kind: string): Schema | undefined =>
  ({ Job: jobSchema, ConfigMap: configMapSchema, Secret: secretSchema, Namespace: namespaceSchema })[kind];

/** A struct's name and fields, or undefined for any other shape. */
export const structOf = (schema: Schema | undefined): { name: string; fields: Record<string, Schema> } | undefined =>
  schema?.t === 'struct' ? { name: schema.name, fields: schema.fields() } : undefined;

/** The shape of a list's items or a map's values. */
export const elementOf = (schema: Schema | undefined): Schema | undefined =>
  schema?.t === 'list' ? schema.item : schema?.t === 'map' ? schema.value : undefined;

/** The shape under `key`: a struct's field, or a map's value. */
export const childOf = (schema: Schema | undefined, key: string): Schema | undefined =>
  schema?.t === 'struct' ? schema.fields()[key] : schema?.t === 'map' ? schema.value : undefined;
