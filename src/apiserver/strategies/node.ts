// The node: this machine, registered by the server (the kubelet's part), never created or
// deleted by a client. A client changes what pods may land there (labels, taints, cordoning);
// capacity, allocatable and conditions are the server's.
import { invalidError, makeStatus, StatusError, validateNode, type Node } from '../../api/index.js';
import type { Strategy } from '../strategy.js';

export const nodeStrategy: Strategy<Node> = {
  kind: 'Node',
  clientWritable: true,
  admitCreate() {
    throw new StatusError(
      makeStatus(405, 'MethodNotAllowed', 'jobctl registers its one node itself: this machine, from its engine'),
    );
  },
  update(body, old) {
    const next = structuredClone(old);
    const name = old.metadata.name ?? '';
    next.metadata.labels = body.metadata?.labels;
    next.metadata.annotations = body.metadata?.annotations;
    for (const k of ['labels', 'annotations'] as const) if (!next.metadata[k]) delete next.metadata[k];
    next.spec = { ...old.spec };
    for (const k of ['taints', 'unschedulable'] as const) {
      if (body.spec?.[k] === undefined) delete next.spec[k];
      else (next.spec as Record<string, unknown>)[k] = body.spec[k];
    }
    const errs = validateNode(next);
    if (errs.length) throw invalidError('Node', '', name, errs);
    return next;
  },
  updateStatus(body, old) {
    return { ...structuredClone(old), status: structuredClone(body.status) };
  },
};
