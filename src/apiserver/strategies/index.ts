// The strategy of each resource of the table (api/resources.ts): one row there, one here.
import type { Strategy } from '../strategy.js';
import { configMapStrategy, secretStrategy } from './config.js';
import { jobStrategy } from './job.js';
import { namespaceStrategy } from './namespace.js';
import { nodeStrategy } from './node.js';
import { eventStrategy, podStrategy } from './server-owned.js';

const STRATEGIES = new Map<string, Strategy>(
  [
    jobStrategy as Strategy,
    podStrategy,
    eventStrategy,
    configMapStrategy as Strategy,
    secretStrategy as Strategy,
    namespaceStrategy as Strategy,
    nodeStrategy as Strategy,
  ].map((s) => [s.kind, s]),
);

export function strategyFor(kind: string): Strategy {
  const s = STRATEGIES.get(kind);
  if (!s) throw new Error(`no API strategy for ${kind}`);
  return s;
}
