// ConfigMaps and Secrets: admitted and validated as on create, replaced whole by an update,
// unless marked immutable (then their data may not change).
import { admitCreate, forbidden, invalidError, type ConfigMap, type Secret } from '../../api/index.js';
import type { Strategy } from '../strategy.js';

type ConfigObject = ConfigMap | Secret;

function configStrategy(kind: 'ConfigMap' | 'Secret'): Strategy<ConfigObject> {
  return {
    kind,
    clientWritable: true,
    admitCreate: (obj, now, uid) => admitCreate(obj, now, uid) as { object: ConfigObject; warnings: string[] },
    update(body, old, now) {
      const name = old.metadata.name ?? '';
      body.metadata = { ...body.metadata, name, namespace: old.metadata.namespace };
      const next = admitCreate(body, now, old.metadata.uid).object as ConfigObject;
      next.metadata.creationTimestamp = old.metadata.creationTimestamp;
      next.metadata.resourceVersion = body.metadata.resourceVersion ?? old.metadata.resourceVersion;
      if (old.immutable) {
        const binary = (o: ConfigObject) => JSON.stringify((o as ConfigMap).binaryData ?? {});
        const changed =
          JSON.stringify(next.data ?? {}) !== JSON.stringify(old.data ?? {}) ||
          (kind === 'ConfigMap' && binary(next) !== binary(old));
        if (changed)
          throw invalidError(kind, '', name, [forbidden('data', 'field is immutable when `immutable` is set')]);
      }
      return next;
    },
  };
}

export const configMapStrategy = configStrategy('ConfigMap');
export const secretStrategy = configStrategy('Secret');
