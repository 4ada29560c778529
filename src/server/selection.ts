// Which stored objects a list or watch request selects: its label and field selectors.
import {
  badRequestError,
  checkFieldLabels,
  isFieldDefault,
  matchesFields,
  parseFieldSelector,
  parseLabelSelector,
  selectorMatches,
  type ApiObject,
  type FieldRequirement,
  type LabelSelector,
  type Resource,
} from '../api/index.js';

/**
 * The request's label and field selectors as one test; undefined when it has none. Its
 * `needles` are text that the stored JSON of every match must contain, the values its equality
 * requirements name: lists check them before parsing, so that `describe job` among thousands of
 * events, or a selector that matches few of many pods, parses only the candidates.
 */
export function requestMatcher(
  q: URLSearchParams,
  r: Resource,
): (((o: ApiObject) => boolean) & { needles: string[]; equalities: Map<string, string> }) | undefined {
  const ls = q.get('labelSelector');
  const fs = q.get('fieldSelector');
  if (!ls && !fs) return undefined;
  let sel: LabelSelector | undefined;
  let reqs: FieldRequirement[] | undefined;
  try {
    sel = ls ? parseLabelSelector(ls) : undefined;
    reqs = fs ? parseFieldSelector(fs) : undefined;
    if (reqs) checkFieldLabels(reqs, r.fieldLabels);
  } catch (e) {
    throw badRequestError((e as Error).message);
  }
  // Printable ASCII other than a quote or a backslash: JSON writes such a value as it is.
  const plain = (v: string) => /^[\x20-\x7e]+$/.test(v) && !/["\\]/.test(v);
  const needles = [
    ...Object.values(sel?.matchLabels ?? {}),
    ...(reqs ?? []).filter((r) => r.equal && !isFieldDefault(r.path, r.value)).map((r) => r.value),
  ].filter(plain);
  const test = (o: ApiObject) => (!sel || selectorMatches(sel, o.metadata.labels)) && (!reqs || matchesFields(o, reqs));
  const equalities = new Map((reqs ?? []).filter((r) => r.equal).map((r) => [r.path, r.value]));
  return Object.assign(test, { needles, equalities });
}
