// What `explain` says of a Job and of the object metadata every kind carries, written for
// jobctl: what each field means, and what jobctl does with it where a single machine differs
// from a cluster.
import type { Docs } from './openapi-docs.js';

export const META_DOCS: Docs = {
  ObjectMeta: {
    doc: 'The metadata every object has: its name and namespace, the labels and annotations people and controllers put on it, and the bookkeeping the server keeps (uid, resourceVersion, generation, timestamps, owners, finalizers, field managers).',
    fields: {
      name: 'The name of the object, unique among the objects of its kind in its namespace. A DNS subdomain for most kinds (a DNS label for a Namespace). Cannot be changed once created.',
      generateName:
        'A prefix from which the server makes a unique name when `name` is empty: five random characters are added, as `jobctl create` and Kubernetes do.',
      namespace:
        'The namespace the object lives in; empty for cluster-scoped kinds such as Namespace and Node. jobctl starts with `default`, and the namespace must exist before objects are created in it.',
      uid: 'A unique identifier the server gives the object when it is created, never reused. Owner references and the pods of a Job point at it.',
      resourceVersion:
        'An opaque version the server changes on every write of the object. Sending it back with an update or patch makes the write conditional: the server refuses it with a Conflict if the object changed in between. Watches resume from it.',
      generation: "A number the server increases whenever the object's desired state (its spec) changes.",
      creationTimestamp: 'When the server created the object (UTC, RFC 3339). Set by the server; read-only.',
      deletionTimestamp:
        'When deletion of the object was asked for. The object stays, shown as Terminating, until its finalizers are gone and its containers have stopped. Set by the server; read-only.',
      deletionGracePeriodSeconds:
        'The seconds the object was given to stop when its deletion was asked for. Set by the server; read-only.',
      labels:
        'Key and value pairs for selecting and grouping objects. A Job labels its pods with `batch.kubernetes.io/job-name` and `batch.kubernetes.io/controller-uid` (and the index of an Indexed Job); `-l` on `get`, `delete`, `logs` and `wait` selects by them.',
      annotations:
        'Key and value pairs of unstructured information that tools keep on an object; not used for selection. `kubectl.kubernetes.io/last-applied-configuration` is where `apply` keeps what it last applied.',
      ownerReferences:
        'The objects this one depends on. A pod created by a Job names the Job as its controller; deleting the Job deletes its pods (unless `--cascade=orphan`).',
      finalizers:
        "Names of the tasks that must be done before the object goes away; the object stays Terminating until the list is empty. A Job's pods carry `batch.kubernetes.io/job-tracking` until the Job controller has counted them.",
      managedFields:
        'Which manager (apply, kubectl-edit, the controllers) last set which fields, and with what operation; what server-side apply resolves conflicts with. Written by the server.',
      selfLink: 'Deprecated and never set; kept for clients that still send it.',
    },
  },
  OwnerReference: {
    doc: 'Names an object that owns this one. When the owner is deleted, what it owns is deleted too.',
    fields: {
      apiVersion: 'The API version of the owner, such as `batch/v1`.',
      kind: 'The kind of the owner, such as `Job`.',
      name: 'The name of the owner.',
      uid: 'The uid of the owner: a new object of the same name is not the owner.',
      controller: 'True for the one owner that manages this object, such as the Job of a pod.',
      blockOwnerDeletion: 'True if a foreground deletion of the owner waits for this object to be deleted first.',
    },
    required: ['apiVersion', 'kind', 'name', 'uid'],
  },
  LabelSelector: {
    doc: 'Selects objects by their labels. The requirements of `matchLabels` and `matchExpressions` are ANDed; an empty selector selects everything, a missing one nothing.',
    fields: {
      matchLabels:
        'Labels an object must carry with exactly these values; each pair is the same as a `matchExpressions` requirement with the `In` operator and one value.',
      matchExpressions: 'Requirements on labels, all of which must hold.',
    },
  },
  LabelSelectorRequirement: {
    doc: 'A requirement on one label: a key, an operator, and the values the operator compares with.',
    fields: {
      key: 'The label key the requirement applies to.',
      operator: 'How the label relates to the values: `In`, `NotIn`, `Exists` or `DoesNotExist`.',
      values: 'The values for `In` and `NotIn` (at least one); empty for `Exists` and `DoesNotExist`.',
    },
    required: ['key', 'operator'],
  },
};

export const BATCH_DOCS: Docs = {
  Job: {
    doc: 'A Job runs pods until a number of them succeed. jobctl runs its pods as containers on the local engine, with the Job semantics of Kubernetes: parallelism and completions, retries with exponential back-off up to `backoffLimit`, deadlines, TTL after finishing, Indexed Jobs, and failure and success policies. The same manifest runs unchanged on a cluster.',
    fields: {
      apiVersion:
        'The versioned schema of this object: `batch/v1`. Servers convert what they read to their own version.',
      kind: 'The kind of this object: `Job`.',
      metadata: "The Job's name, namespace, labels and annotations, and the server's bookkeeping.",
      spec: 'What the Job should do: the pod to run, how many, how many must succeed, and when to give up.',
      status:
        'What the Job has done so far: its pods counted by outcome, and its conditions. Written by the Job controller; read-only.',
    },
  },
  JobSpec: {
    doc: 'How a Job runs: the pod template, how many pods at once, how many successes are enough, and the limits after which it fails.',
    fields: {
      parallelism:
        'The most pods the Job runs at once. Defaults to 1; 0 pauses the Job without suspending it. Fewer run near the end, when fewer completions remain. May be changed while the Job runs.',
      completions:
        'How many pods must succeed for the Job to complete. Unset means the first success completes the Job once no pod runs (work-queue mode); for an Indexed Job each index from 0 to completions-1 must succeed once. Defaults to 1 when parallelism is unset too.',
      activeDeadlineSeconds:
        'The seconds the Job may be active from its start, counted across all its pods; when they pass, its running pods are stopped and the Job fails with reason `DeadlineExceeded`. The time a suspended Job waits is not counted. Takes precedence over backoffLimit.',
      backoffLimit:
        'How many pod failures the Job accepts before it fails with reason `BackoffLimitExceeded`. Defaults to 6 (unless backoffLimitPerIndex is set). Each failed pod counts; with `restartPolicy: OnFailure` each restart of a container counts too. Replacement pods wait an exponential back-off of 10s, 20s, 40s... up to six minutes.',
      backoffLimitPerIndex:
        'For an Indexed Job, the failures each index accepts before that index is marked failed; the other indexes go on. Requires `restartPolicy: Never`.',
      maxFailedIndexes:
        'With backoffLimitPerIndex, how many indexes may fail before the whole Job fails with reason `MaxFailedIndexesExceeded`.',
      ttlSecondsAfterFinished:
        'Seconds after the Job finishes (Complete or Failed) when it is deleted with its pods. Unset keeps it until deleted; 0 deletes it as soon as it finishes.',
      suspend:
        'True suspends the Job: its running pods are stopped (not counted as failures) and no new ones start until it is set false again. A Job created suspended starts nothing.',
      completionMode:
        'How completions are counted. `NonIndexed` (the default): the Job completes after `completions` successful pods, any of them. `Indexed`: each pod gets an index (the `batch.kubernetes.io/job-completion-index` annotation and label, and the `JOB_COMPLETION_INDEX` variable) and the Job completes when every index has succeeded once.',
      podReplacementPolicy:
        'When a failed or deleted pod is replaced. `TerminatingOrFailed` (the default): as soon as it starts terminating. `Failed`: only once it has fully terminated, so a replacement never overlaps the pod it replaces (the default when podFailurePolicy is set).',
      manualSelector:
        'True lets `selector` be set by hand. Without it the server generates the selector from the controller-uid label; a hand-written selector that matches other pods makes the Job adopt them.',
      selector: 'Which pods belong to the Job. Normally generated by the server; see manualSelector.',
      template:
        'The pod the Job runs, as a template: each pod the Job creates is made from it. Its `restartPolicy` must be `Never` or `OnFailure`.',
      managedBy:
        'The controller that runs this Job. Unset or `kubernetes.io/job-controller` means the built-in Job controller (in jobctl, its own); any other value leaves the Job to that controller. Cannot be changed.',
      podFailurePolicy:
        'Rules that decide what a failed pod means, from its exit codes or conditions: fail the Job at once, ignore the failure (not counted against backoffLimit), fail the index, or count it as usual. Requires `restartPolicy: Never`.',
      successPolicy:
        'For an Indexed Job, rules that declare it succeeded before every index has: once given indexes, or a number of them, have succeeded. The remaining pods are stopped.',
    },
    required: ['template'],
    enums: { completionMode: ['Indexed', 'NonIndexed'], podReplacementPolicy: ['Failed', 'TerminatingOrFailed'] },
  },
  JobStatus: {
    doc: 'What a Job has done: its pods counted by outcome, when it started and finished, and its conditions. Written by the Job controller.',
    fields: {
      conditions:
        'What has happened to the Job: `Complete` or `Failed` when it finished (with `SuccessCriteriaMet` or `FailureTarget` just before), `Suspended` while suspended. `jobctl wait --for=condition=Complete` waits for one.',
      startTime: 'When the Job controller first started the Job (or resumed it from suspension).',
      completionTime: 'When the Job completed successfully; unset for a Job that failed.',
      active: 'The number of pods pending or running, not terminating.',
      ready: 'The number of active pods whose Ready condition is true.',
      succeeded: 'The number of pods that succeeded.',
      failed: 'The number of pods that failed (and, with `restartPolicy: OnFailure`, of container restarts).',
      terminating: 'The number of pods being stopped (with a deletion timestamp, not yet finished).',
      completedIndexes: 'For an Indexed Job, the indexes that have succeeded, as ranges: `1,3-5,7`.',
      failedIndexes: 'For an Indexed Job with backoffLimitPerIndex, the indexes that have failed, as ranges.',
      uncountedTerminatedPods:
        'The uids of finished pods the controller has seen but not yet added to `succeeded` or `failed`; empty between syncs.',
    },
  },
  JobCondition: {
    doc: 'One condition of a Job: its type, whether it holds, and why.',
    fields: {
      type: 'The condition: `Complete`, `Failed`, `Suspended`, `SuccessCriteriaMet` or `FailureTarget`.',
      status: 'Whether the condition holds: `True`, `False` or `Unknown`.',
      reason:
        'A one-word, CamelCase reason, such as `BackoffLimitExceeded`, `DeadlineExceeded`, `PodFailurePolicy`, `CompletionsReached`.',
      message: 'A human-readable explanation of the condition.',
      lastProbeTime: 'When the condition was last checked.',
      lastTransitionTime: 'When the condition last changed from one status to another.',
    },
    required: ['type', 'status'],
  },
  PodFailurePolicy: {
    doc: 'Rules applied, in order, to each failed pod of a Job; the first that matches decides, and a failure no rule matches counts against backoffLimit.',
    fields: { rules: 'The rules, tried in order (at most 20).' },
    required: ['rules'],
  },
  PodFailurePolicyRule: {
    doc: 'A rule on a failed pod: exit codes or pod conditions to match, and what to do when they do. Exactly one of onExitCodes and onPodConditions is set.',
    fields: {
      action:
        '`FailJob`: fail the Job at once and stop its pods. `Ignore`: do not count the failure against backoffLimit; a replacement is made. `Count`: count it as usual. `FailIndex`: fail the index of an Indexed Job (with backoffLimitPerIndex).',
      onExitCodes: 'Matches a pod by the exit codes of its containers.',
      onPodConditions:
        'Matches a pod by its conditions, such as `DisruptionTarget` for a pod deleted or evicted; any of the patterns may match.',
    },
    required: ['action'],
    enums: { action: ['Count', 'FailIndex', 'FailJob', 'Ignore'] },
  },
  PodFailurePolicyOnExitCodesRequirement: {
    doc: "A requirement on the exit codes of a failed pod's containers. Containers that exited 0 are not considered.",
    fields: {
      containerName: 'Only this container (app or init) is checked; unset checks every container.',
      operator:
        '`In`: matches when some checked container exited with one of the values. `NotIn`: when some checked container exited with a code not among them.',
      values: 'The exit codes, without duplicates, in increasing order (at most 255); 0 is not allowed with `In`.',
    },
    required: ['operator', 'values'],
    enums: { operator: ['In', 'NotIn'] },
  },
  PodFailurePolicyOnPodConditionsPattern: {
    doc: 'A pattern matching a condition of a failed pod.',
    fields: {
      type: 'The pod condition type to match, such as `DisruptionTarget`.',
      status: 'The status the condition must have: `True` (the default), `False` or `Unknown`.',
    },
    required: ['type'],
  },
  SuccessPolicy: {
    doc: 'When an Indexed Job counts as succeeded before all its indexes have. Any rule met is enough; the Job then gets `SuccessCriteriaMet` and `Complete`, and its remaining pods are stopped.',
    fields: { rules: 'The rules; the Job succeeds when any one is met (at most 20).' },
    required: ['rules'],
  },
  SuccessPolicyRule: {
    doc: 'A success rule: a set of indexes, a count, or both.',
    fields: {
      succeededIndexes:
        'Indexes that must all have succeeded, as ranges: `0,2-4`. With succeededCount, the count is of these indexes.',
      succeededCount: 'How many indexes (of succeededIndexes, if set) must have succeeded.',
    },
  },
  UncountedTerminatedPods: {
    doc: 'Finished pods the Job controller has seen and not yet counted, by uid.',
    fields: {
      succeeded: 'The uids of succeeded pods not yet counted.',
      failed: 'The uids of failed pods not yet counted.',
    },
  },
};
