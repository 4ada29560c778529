// What the API server does with a new object before storing it: defaults, create-time fields,
// validation and warnings. Shared by the server and by `--dry-run=client`.
import { DEFAULT_NAMESPACE, prepareJobForCreate, toRfc3339 } from './defaults.js';
import { newUid } from './names.js';
import { invalidError } from './status.js';
import { validateJob } from './validation.js';
import { NAMESPACE_NAME_LABEL, validateConfigMap, validateNamespace, validateSecret } from './validation-meta.js';
import { computeJobWarnings } from './warnings.js';
import type { ApiObject, ConfigMap, Job, Namespace, Secret } from './types.js';

export interface Admitted<T extends ApiObject = ApiObject> {
  object: T;
  warnings: string[];
}

const clone = <T>(o: T): T => structuredClone(o);

/** Admits a new object; throws StatusError (422 Invalid) with Kubernetes' causes. */
export function admitCreate(input: ApiObject, now: Date, uid = newUid()): Admitted {
  const obj = clone(input);
  switch (obj.kind) {
    case 'Job': {
      const warnings = computeJobWarnings(input as Job);
      const job = prepareJobForCreate(obj as Job, now, uid);
      const errs = validateJob(job);
      if (errs.length) throw invalidError('Job', 'batch', job.metadata.name ?? '', errs);
      return { object: job, warnings };
    }
    case 'ConfigMap':
    case 'Secret': {
      const meta = obj.metadata ?? (obj.metadata = {});
      meta.namespace ??= DEFAULT_NAMESPACE;
      const errs = obj.kind === 'ConfigMap' ? validateConfigMap(obj as ConfigMap) : validateSecret(obj as Secret);
      if (errs.length) throw invalidError(obj.kind, '', meta.name ?? '', errs);
      if (obj.kind === 'Secret') {
        const s = obj as Secret;
        s.type ??= 'Opaque';
        if (s.stringData) {
          s.data = { ...(s.data ?? {}) };
          for (const [k, v] of Object.entries(s.stringData)) s.data[k] = Buffer.from(v).toString('base64');
          delete s.stringData;
        }
      }
      meta.uid = uid;
      meta.creationTimestamp = toRfc3339(now);
      return { object: obj, warnings: [] };
    }
    case 'Namespace': {
      const ns = obj as Namespace;
      const meta = (ns.metadata ??= {});
      delete meta.namespace; // cluster-scoped: the API server clears it
      const errs = validateNamespace(ns);
      if (errs.length) throw invalidError('Namespace', '', meta.name ?? '', errs);
      meta.labels = { ...meta.labels, [NAMESPACE_NAME_LABEL]: meta.name ?? '' };
      ns.spec = { finalizers: ['kubernetes'] };
      ns.status = { phase: 'Active' };
      meta.uid = uid;
      meta.creationTimestamp = toRfc3339(now);
      return { object: ns, warnings: [] };
    }
    default:
      throw new Error(`jobctl does not create ${obj.kind} objects`);
  }
}
