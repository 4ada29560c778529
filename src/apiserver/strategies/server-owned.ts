// Pods and Events: the server's own (the Job controller creates pods, the kubelet and the
// controllers record events); clients read, watch and delete them.
import { makeStatus, StatusError, type ApiObject } from '../../api/index.js';
import type { Strategy } from '../strategy.js';

function serverOwned(kind: 'Pod' | 'Event', plural: string): Strategy<ApiObject> {
  const refuse = (what: string) => () => {
    throw new StatusError(makeStatus(405, 'MethodNotAllowed', `jobctl ${what} ${plural} itself`));
  };
  return { kind, clientWritable: false, admitCreate: refuse('creates'), update: refuse('updates') };
}

export const podStrategy = serverOwned('Pod', 'pods');
export const eventStrategy = serverOwned('Event', 'events');
