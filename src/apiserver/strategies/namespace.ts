// Namespaces: admitted with the API server's defaults (the `kubernetes` finalizer, phase Active,
// the name label); an update changes labels and annotations, the rest is the server's.
import {
  admitCreate,
  invalidError,
  NAMESPACE_NAME_LABEL,
  validateNamespace,
  type Admitted,
  type Namespace,
} from '../../api/index.js';
import type { Strategy } from '../strategy.js';

export const namespaceStrategy: Strategy<Namespace> = {
  kind: 'Namespace',
  clientWritable: true,
  admitCreate: (obj, now, uid) => admitCreate(obj, now, uid) as Admitted<Namespace>,
  update(body, old) {
    const next = structuredClone(old);
    const name = old.metadata.name ?? '';
    next.metadata.labels = { ...body.metadata?.labels, [NAMESPACE_NAME_LABEL]: name };
    next.metadata.annotations = body.metadata?.annotations;
    if (!next.metadata.annotations) delete next.metadata.annotations;
    const errs = validateNamespace(next);
    if (errs.length) throw invalidError('Namespace', '', name, errs);
    return next;
  },
};
