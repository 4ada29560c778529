// What `explain` says of a pod's spec and its containers, written for jobctl: each pod runs as
// containers on the local engine, and fields that only mean something on a cluster say so.
import type { Docs } from './openapi-docs.js';

const NO_EFFECT = 'jobctl accepts it, keeps it, and warns at apply that it has no effect on one machine.';
const KEPT = 'jobctl accepts and keeps it but does not act on it.';

const keySelector = (what: string) => ({
  doc: `Selects one key of a ${what}.`,
  fields: {
    name: `The name of the ${what}, in the pod's namespace.`,
    key: `The key whose value is used.`,
    optional: `True lets the pod start when the ${what} or the key is missing.`,
  },
  required: ['key'],
});

const sourceRef = (what: string) => ({
  doc: `Takes every key of a ${what} as environment variables.`,
  fields: {
    name: `The name of the ${what}, in the pod's namespace.`,
    optional: `True lets the pod start when the ${what} is missing.`,
  },
});

export const POD_SPEC_DOCS: Docs = {
  PodTemplateSpec: {
    doc: 'The pod a controller creates copies of: its metadata (labels and annotations given to each pod) and its spec.',
    fields: {
      metadata: 'Labels and annotations each pod gets. A Job adds its own labels to them.',
      spec: 'The spec each pod gets.',
    },
  },
  PodSpec: {
    doc: 'What a pod runs: its containers, how they restart, the volumes they share, and where the pod may run. In jobctl a pod is a group of containers on the local engine sharing a network (loopback only) and its volumes.',
    fields: {
      containers: 'The containers of the pod, started together once the init containers have succeeded. At least one.',
      initContainers:
        'Containers run one after another, each to success, before the app containers start. A failed init container fails the pod (restartPolicy Never) or is restarted (OnFailure).',
      ephemeralContainers: `Debugging containers added to a running pod. ${KEPT}`,
      restartPolicy:
        "What happens when a container ends. `Never`: the pod ends, and a Job may replace it. `OnFailure`: a failed container is restarted in place, after a crash-loop back-off of 10s, 20s, 40s... up to five minutes. `Always` (the default for bare pods) is not allowed in a Job's template.",
      terminationGracePeriodSeconds:
        'Seconds a container has between SIGTERM and SIGKILL when its pod is stopped or deleted. Defaults to 30.',
      activeDeadlineSeconds:
        'Seconds the pod may run from its start before it is stopped and fails with reason `DeadlineExceeded`.',
      dnsPolicy: `How the pod resolves names. Defaults to \`ClusterFirst\`. ${NO_EFFECT}`,
      dnsConfig: `Extra DNS settings. ${NO_EFFECT}`,
      nodeSelector:
        "Labels the node must carry for the pod to run there. jobctl's one node is labelled like a cluster's (`kubernetes.io/hostname`, `kubernetes.io/os`, `kubernetes.io/arch`, and any you add with `jobctl label node`); a pod it does not match stays Pending with a FailedScheduling event.",
      serviceAccountName: `The service account the pod runs as. ${NO_EFFECT}`,
      serviceAccount: `Deprecated spelling of serviceAccountName. ${NO_EFFECT}`,
      automountServiceAccountToken: `Whether the service account's token is mounted. ${NO_EFFECT}`,
      nodeName: `The node the pod is bound to, bypassing the scheduler. ${NO_EFFECT}`,
      hostNetwork: "True runs the pod in the machine's network instead of its own.",
      hostPID: `True runs the pod in the machine's process namespace. ${KEPT}`,
      hostIPC: `True runs the pod in the machine's IPC namespace. ${KEPT}`,
      shareProcessNamespace: `True lets the pod's containers see each other's processes. ${KEPT}`,
      securityContext: 'Security settings for every container of the pod: users, groups, and filesystem group.',
      imagePullSecrets: `Secrets with registry credentials for pulling images. ${NO_EFFECT} The engine's own credentials are used.`,
      hostname: "The pod's host name. Defaults to the pod's name.",
      subdomain: `With hostname, a fully qualified name for the pod within a headless service. ${KEPT}`,
      affinity:
        "Which nodes the pod prefers or requires. jobctl's scheduler honours required node affinity (`nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`) against its one node; the rest is kept.",
      schedulerName: `The scheduler that places the pod. Defaults to \`default-scheduler\`. ${NO_EFFECT}`,
      tolerations:
        "Taints the pod tolerates. jobctl's node may be tainted (`jobctl taint node`); a pod that does not tolerate a NoSchedule or NoExecute taint stays Pending with a FailedScheduling event.",
      hostAliases: `Extra entries for the pod's /etc/hosts. ${NO_EFFECT}`,
      priorityClassName: `The priority class of the pod. ${NO_EFFECT}`,
      priority: "The pod's priority; the scheduler places higher ones first when several wait.",
      readinessGates: `Extra conditions for the pod to be ready. ${NO_EFFECT}`,
      runtimeClassName: `The runtime class to run the pod with. ${NO_EFFECT}`,
      enableServiceLinks: `Whether services are passed as environment variables. ${NO_EFFECT}`,
      preemptionPolicy: `Whether the pod may preempt lower-priority pods. ${NO_EFFECT}`,
      overhead: "Resources the pod's sandbox uses besides its containers; added to its requests when scheduling.",
      topologySpreadConstraints: `How pods spread over zones and nodes. ${NO_EFFECT}`,
      setHostnameAsFQDN: `Whether the host name is the fully qualified name. ${NO_EFFECT}`,
      os: `The operating system the pod needs. ${NO_EFFECT}`,
      hostUsers: `False runs the pod in a user namespace of its own. ${KEPT}`,
      schedulingGates: `Gates that hold the pod back from scheduling. ${NO_EFFECT}`,
      resourceClaims: `Dynamic resource claims. ${NO_EFFECT}`,
      resources: `Resources for the pod as a whole, shared by its containers. ${KEPT}`,
      volumes:
        "Volumes the pod's containers may mount. jobctl serves emptyDir, hostPath, configMap, secret and downwardAPI; a persistentVolumeClaim or other cluster volume leaves the pod waiting with FailedMount.",
    },
    required: ['containers'],
    enums: { restartPolicy: ['Always', 'Never', 'OnFailure'] },
  },
  Container: {
    doc: 'A container of a pod, run by the engine from an image.',
    fields: {
      name: "The name of the container, unique in the pod (a DNS label). `logs -c`, `exec -c` and the engine's container name use it.",
      image: "The image to run, as the engine names it (`busybox:1.35`). When to pull it is imagePullPolicy's choice.",
      command:
        "The program to run, replacing the image's ENTRYPOINT; not run in a shell. `$(VAR)` is replaced by the container's environment variable VAR (`$$` escapes it).",
      args: "Its arguments, replacing the image's CMD; `$(VAR)` as in command.",
      workingDir: "The directory the program starts in; defaults to the image's.",
      env: 'Environment variables set in the container, in order; a value may use `$(VAR)` of those before it.',
      envFrom:
        'Sources of many environment variables at once (every key of a ConfigMap or Secret); env wins where both set a name.',
      resources:
        "The cpu and memory the container asks for (requests, which the scheduler counts against the node's allocatable) and may use at most (limits, enforced by the engine: a container over its memory limit is OOMKilled).",
      volumeMounts: "Where the pod's volumes appear in this container.",
      imagePullPolicy:
        '`Always`: pull before each start. `IfNotPresent`: pull when the engine does not have it. `Never`: only use what the engine has. Defaults to Always for a `:latest` or untagged image, else IfNotPresent. A failed pull waits as ErrImagePull, then ImagePullBackOff.',
      terminationMessagePath:
        'A file in the container whose contents, written before it ends, become its termination message (at most 4096 bytes). Defaults to /dev/termination-log.',
      terminationMessagePolicy:
        "`File` (the default): the message is the file's contents. `FallbackToLogsOnError`: if the file is empty and the container failed, the last lines of its output are used.",
      securityContext:
        "Security settings of this container, over the pod's: user, group, privileges, capabilities, read-only root filesystem.",
      ports: "Ports the container listens on; informational, since a pod's network here is loopback only.",
      livenessProbe: `A check that restarts the container when it fails. ${KEPT}`,
      readinessProbe: `A check that decides when the container is ready. ${KEPT}`,
      startupProbe: `A check that holds the other probes back until it succeeds. ${KEPT}`,
      lifecycle: `Hooks run after start and before stop. ${KEPT}`,
      stdin: 'True gives the container a standard input that stays open, for `attach -i`.',
      stdinOnce: 'True closes standard input after the first attach that ends.',
      tty: 'True gives the container a terminal (needs stdin); its output is still captured as logs.',
      volumeDevices: `Block devices of the pod to map into the container. ${KEPT}`,
      resizePolicy: `How the container is resized in place. ${KEPT}`,
      restartPolicy:
        'For an init container, `Always` marks it a sidecar that keeps running beside the app containers; the scheduler counts its requests so. jobctl runs it as an ordinary init container.',
    },
    required: ['name'],
    enums: {
      imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
      terminationMessagePolicy: ['FallbackToLogsOnError', 'File'],
    },
  },
  EnvVar: {
    doc: 'An environment variable: a name with a value, or with where its value comes from.',
    fields: {
      name: 'The name of the variable.',
      value: 'Its value; `$(VAR)` is replaced by an earlier variable\'s value. Defaults to "".',
      valueFrom: 'Where its value comes from when value is not given.',
    },
    required: ['name'],
  },
  EnvVarSource: {
    doc: "Where an environment variable's value comes from; exactly one field is set.",
    fields: {
      fieldRef:
        "A field of the pod: `metadata.name`, `metadata.namespace`, `metadata.uid`, `metadata.labels['KEY']`, `metadata.annotations['KEY']`, `spec.nodeName`, `status.podIP`, `status.hostIP`...",
      resourceFieldRef: 'A resource request or limit of a container: `limits.cpu`, `requests.memory`...',
      configMapKeyRef: "A key of a ConfigMap in the pod's namespace.",
      secretKeyRef: "A key of a Secret in the pod's namespace.",
      fileKeyRef: `A key of an env file in a volume. ${KEPT}`,
    },
  },
  ObjectFieldSelector: {
    doc: 'Selects a field of the pod.',
    fields: {
      apiVersion: 'The version of the schema the path is written in; defaults to `v1`.',
      fieldPath: 'The path of the field, such as `metadata.name`.',
    },
    required: ['fieldPath'],
  },
  ResourceFieldSelector: {
    doc: 'Selects a resource request or limit of a container.',
    fields: {
      containerName: 'The container; required in volumes, defaults to the container itself in env.',
      resource: 'The resource: `limits.cpu`, `limits.memory`, `requests.cpu`, `requests.memory`...',
      divisor: 'The unit the value is given in; defaults to 1.',
    },
    required: ['resource'],
  },
  ConfigMapKeySelector: keySelector('ConfigMap'),
  SecretKeySelector: keySelector('Secret'),
  EnvFromSource: {
    doc: 'A source of many environment variables: every key of a ConfigMap or a Secret.',
    fields: {
      prefix: 'A prefix added to each key to make the variable name.',
      configMapRef: 'The ConfigMap whose keys become variables.',
      secretRef: 'The Secret whose keys become variables.',
    },
  },
  ConfigMapEnvSource: sourceRef('ConfigMap'),
  SecretEnvSource: sourceRef('Secret'),
  ResourceRequirements: {
    doc: 'The compute resources a container asks for and may use at most.',
    fields: {
      limits:
        'The most the container may use, enforced by the engine (cpu as a quota, memory as a hard limit). A request left unset defaults to its limit.',
      requests:
        "What the container asks for: the scheduler admits the pod only if the node's allocatable holds every request of the pods on it.",
      claims: `Dynamic resource claims the container uses. ${KEPT}`,
    },
  },
  VolumeMount: {
    doc: 'Where a volume of the pod appears in a container.',
    fields: {
      name: "The name of the volume, as in the pod's volumes.",
      mountPath: 'The path in the container; must not contain `:`.',
      readOnly: 'True mounts it read-only.',
      subPath: 'A path inside the volume to mount instead of its root.',
      subPathExpr: `Like subPath, with \`$(VAR)\` replaced from the container's environment. ${KEPT}`,
      mountPropagation: `How mounts propagate between the host and the container: \`None\` (the default), \`HostToContainer\` or \`Bidirectional\`. ${KEPT}`,
      recursiveReadOnly: `Whether a read-only mount is read-only recursively. ${KEPT}`,
    },
    required: ['name', 'mountPath'],
  },
  SecurityContext: {
    doc: "A container's security settings; where both set a field, these win over the pod's.",
    fields: {
      runAsUser: "The user id the container's process runs as.",
      runAsGroup: 'The group id the process runs as.',
      runAsNonRoot: `True asks the kubelet to refuse to start the container as user 0. ${KEPT}`,
      readOnlyRootFilesystem: "True makes the container's root filesystem read-only.",
      privileged: 'True runs the container privileged, like root on the machine.',
      allowPrivilegeEscalation: `False sets no_new_privs, so the process cannot gain privileges it was not started with. ${KEPT}`,
      capabilities: "Linux capabilities added to or dropped from the engine's default set.",
      procMount: `How /proc is mounted. ${KEPT}`,
      seLinuxOptions: `SELinux labels. ${KEPT}`,
      seccompProfile: `The seccomp profile. ${KEPT}`,
      appArmorProfile: `The AppArmor profile. ${KEPT}`,
      windowsOptions: `Windows settings. ${KEPT}`,
    },
  },
  Capabilities: {
    doc: 'Linux capabilities to add and drop.',
    fields: {
      add: 'Capabilities to add, such as `NET_ADMIN`.',
      drop: 'Capabilities to drop; `ALL` drops every one.',
    },
  },
  ContainerPort: {
    doc: 'A port a container listens on.',
    fields: {
      name: 'A name for the port (an IANA service name), unique in the pod.',
      containerPort: "The port number in the pod's network.",
      hostPort: `A port on the machine forwarded to it. ${KEPT}`,
      protocol: '`TCP` (the default), `UDP` or `SCTP`.',
      hostIP: `The machine's address to bind hostPort to. ${KEPT}`,
    },
    required: ['containerPort'],
    enums: { protocol: ['SCTP', 'TCP', 'UDP'] },
  },
  PodSecurityContext: {
    doc: "Security settings for every container of a pod; a container's own securityContext wins where both set a field.",
    fields: {
      runAsUser: "The user id the containers' processes run as.",
      runAsGroup: 'The group id they run as.',
      runAsNonRoot: `True asks the kubelet to refuse a container that would run as user 0. ${KEPT}`,
      fsGroup: 'A supplementary group of every container. (jobctl does not change the ownership of volumes.)',
      supplementalGroups: 'More supplementary groups of every container.',
      fsGroupChangePolicy: `When volume ownership is changed. ${KEPT}`,
      seLinuxOptions: `SELinux labels. ${KEPT}`,
      seccompProfile: `The seccomp profile. ${KEPT}`,
      appArmorProfile: `The AppArmor profile. ${KEPT}`,
      sysctls: `Namespaced sysctls to set. ${KEPT}`,
      windowsOptions: `Windows settings. ${KEPT}`,
      supplementalGroupsPolicy: `How the supplementary groups are computed. ${KEPT}`,
      seLinuxChangePolicy: `How SELinux labels are applied to volumes. ${KEPT}`,
    },
  },
};

export const VOLUME_DOCS: Docs = {
  Volume: {
    doc: 'A volume of a pod, named so its containers can mount it; exactly one source is set.',
    fields: {
      name: 'The name of the volume, unique in the pod (a DNS label).',
      emptyDir: 'An empty directory made for the pod and removed with it; its containers share it.',
      hostPath: 'A file or directory of the machine.',
      configMap: 'The keys of a ConfigMap, as files.',
      secret: 'The keys of a Secret, as files.',
      downwardAPI: 'Fields of the pod, as files.',
      persistentVolumeClaim:
        'A claim on a persistent volume. Not served by jobctl: refused with a warning at apply, and the pod waits with FailedMount.',
      projected: 'Several sources in one directory. Not served by jobctl (FailedMount).',
      nfs: 'An NFS export. Not served by jobctl (FailedMount).',
      csi: "A CSI driver's volume. Not served by jobctl (FailedMount).",
      ephemeral: 'A volume provisioned for the pod alone. Not served by jobctl (FailedMount).',
      image: 'The contents of an image. Not served by jobctl (FailedMount).',
    },
    required: ['name'],
  },
  EmptyDirVolumeSource: {
    doc: 'An empty directory that lives as long as the pod.',
    fields: {
      medium: '"" (the default): on disk. `Memory`: a tmpfs, counted against the container\'s memory.',
      sizeLimit: 'The most the volume may hold; a pod whose emptyDir grows past it is evicted.',
    },
  },
  HostPathVolumeSource: {
    doc: 'A file or directory of the machine mounted into the pod. On an engine on another host, the path is on that host.',
    fields: {
      path: 'The path on the machine.',
      type: 'What must be at the path: "" (no check), `DirectoryOrCreate`, `Directory`, `FileOrCreate`, `File`, `Socket`, `CharDevice` or `BlockDevice`.',
    },
    required: ['path'],
    enums: {
      type: ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'],
    },
  },
  ConfigMapVolumeSource: {
    doc: "A ConfigMap's keys as files: each key a file named after it, unless items chooses.",
    fields: {
      name: "The name of the ConfigMap, in the pod's namespace.",
      items: 'Which keys to project, and to which paths; unset projects every key.',
      defaultMode: 'The mode of the files, as a number (0644 in YAML as octal, 420 as decimal). Defaults to 0644.',
      optional: 'True lets the pod start when the ConfigMap or a key is missing.',
    },
  },
  SecretVolumeSource: {
    doc: "A Secret's keys as files: each key a file named after it, unless items chooses.",
    fields: {
      secretName: "The name of the Secret, in the pod's namespace.",
      items: 'Which keys to project, and to which paths; unset projects every key.',
      defaultMode: 'The mode of the files, as a number. Defaults to 0644.',
      optional: 'True lets the pod start when the Secret or a key is missing.',
    },
  },
  KeyToPath: {
    doc: 'A key projected to a path in a volume.',
    fields: {
      key: 'The key.',
      path: 'The relative path of its file; no `..` element.',
      mode: "The file's mode; defaults to the volume's defaultMode.",
    },
    required: ['key', 'path'],
  },
  DownwardAPIVolumeSource: {
    doc: 'Fields of the pod (its labels, annotations, name, resources) as files.',
    fields: {
      items: 'The files to write.',
      defaultMode: 'The mode of the files, as a number. Defaults to 0644.',
    },
  },
  DownwardAPIVolumeFile: {
    doc: 'A file holding a field of the pod.',
    fields: {
      path: 'The relative path of the file; no `..` element.',
      fieldRef:
        'The pod field: `metadata.name`, `metadata.namespace`, `metadata.uid`, `metadata.labels`, `metadata.annotations` (a line per key).',
      resourceFieldRef: 'A resource request or limit of a container.',
      mode: "The file's mode; defaults to the volume's defaultMode.",
    },
    required: ['path'],
  },
  PersistentVolumeClaimVolumeSource: {
    doc: 'A claim on a persistent volume, which jobctl does not serve.',
    fields: {
      claimName: 'The name of the claim.',
      readOnly: 'True mounts it read-only.',
    },
    required: ['claimName'],
  },
};
