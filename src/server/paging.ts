// `limit` and `continue` on lists, as the API server pages them: items in key order (namespace,
// name), a page of at most `limit`, and an opaque token that resumes after the page's last key
// (with how many remain). Later pages read the store as it is then, not the first page's
// revision: a list paged across changes may see them, where Kubernetes would answer from its
// snapshot or with 410 Expired.
import { badRequestError } from '../api/index.js';

interface Token {
  v: string;
  rv: string;
  start: string;
}

export interface Page<T> {
  items: T[];
  continue?: string;
  remainingItemCount?: number;
}

const encode = (t: Token) => Buffer.from(JSON.stringify(t)).toString('base64url');

function decode(text: string): Token {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Token;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.start !== 'string') throw new Error('unknown version');
    return t;
  } catch (e) {
    throw badRequestError(`continue key is not valid: ${(e as Error).message}`);
  }
}

/** The page `q` asks for of `items` (in key order); everything when it sets no limit. */
export function pageOf<T>(items: T[], keyOf: (t: T) => string, q: URLSearchParams, rv: string): Page<T> {
  const limitText = q.get('limit');
  const token = q.get('continue');
  let rest = items;
  if (token) {
    const start = decode(token).start;
    rest = items.filter((t) => keyOf(t) > start);
  }
  const limit = limitText !== null && /^\d+$/.test(limitText) ? Number(limitText) : 0;
  if (!limit || rest.length <= limit) return { items: rest };
  const page = rest.slice(0, limit);
  return {
    items: page,
    continue: encode({ v: 'meta.k8s.io/v1', rv, start: keyOf(page[page.length - 1]) }),
    remainingItemCount: rest.length - limit,
  };
}

/** An object's key in list order: its namespace and name, NUL-separated so `a/b` sorts as Kubernetes does. */
export const listKey = (o: { metadata?: { namespace?: string; name?: string } }): string =>
  `${o.metadata?.namespace ?? ''}\u0000${o.metadata?.name ?? ''}`;
