// Validation shared by every kind: object metadata, labels, selectors; and the config kinds
// (ConfigMap, Secret) and Namespaces, with the API server's messages.
import { duplicate, invalid, notSupported, required, type FieldError } from './field-errors.js';
import { isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidLabelValue } from './names.js';

import type { ConfigMap, LabelSelector, Namespace, Node, ObjectMeta, Secret } from './types.js';

export const MAX_SECRET_BYTES = 1024 * 1024;

/** A negative number where only non-negative ones are allowed. */
export const nonNegative = (path: string, v: number | null | undefined, errs: FieldError[]): void => {
  if (typeof v === 'number' && v < 0) errs.push(invalid(path, v, 'must be greater than or equal to 0'));
};

export function validateObjectMeta(meta: ObjectMeta | undefined, errs: FieldError[]): void {
  const name = meta?.name;
  if (!name && !meta?.generateName) {
    errs.push(required('metadata.name', 'name or generateName is required'));
  } else if (name) {
    for (const msg of isDns1123Subdomain(name)) errs.push(invalid('metadata.name', name, msg));
  }
  if (meta?.namespace)
    for (const msg of isDns1123Label(meta.namespace)) errs.push(invalid('metadata.namespace', meta.namespace, msg));
  validateLabels(meta?.labels, 'metadata.labels', errs);
  for (const key of Object.keys(meta?.annotations ?? {})) {
    for (const msg of isQualifiedName(key.toLowerCase())) errs.push(invalid('metadata.annotations', key, msg));
  }
}

export function validateLabels(labels: Record<string, string> | undefined, path: string, errs: FieldError[]): void {
  const seen = new Set<string>();
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(k)) errs.push(invalid(path, k, msg));
    for (const msg of isValidLabelValue(v)) {
      const key = `${v}\u0000${msg}`;
      if (!seen.has(key)) errs.push(invalid(path, v, msg));
      seen.add(key);
    }
  }
}

export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const r of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const inValues = has && (r.values ?? []).includes(l[r.key]);
    if (r.operator === 'In' && !inValues) return false;
    if (r.operator === 'NotIn' && inValues) return false;
    if (r.operator === 'Exists' && !has) return false;
    if (r.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const CONFIG_KEY_RE = /^[-._a-zA-Z0-9]+$/;

function validateConfigKeys(map: Record<string, string> | undefined, path: string, errs: FieldError[]): void {
  for (const key of Object.keys(map ?? {})) {
    if (key.length > 253) errs.push(invalid(`${path}[${key}]`, key, 'must be no more than 253 characters'));
    if (!CONFIG_KEY_RE.test(key)) {
      errs.push(
        invalid(
          `${path}[${key}]`,
          key,
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        ),
      );
    } else if (key === '.' || key === '..' || key.startsWith('..')) {
      errs.push(
        invalid(
          `${path}[${key}]`,
          key,
          key.startsWith('..') && key.length > 2 ? "must not start with '..'" : `must not be '${key}'`,
        ),
      );
    }
  }
}

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  validateObjectMeta(cm.metadata, errs);
  validateConfigKeys(cm.data, 'data', errs);
  validateConfigKeys(cm.binaryData, 'binaryData', errs);
  for (const key of Object.keys(cm.data ?? {}))
    if (cm.binaryData && key in cm.binaryData)
      errs.push(invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
  return errs;
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function validateSecret(s: Secret): FieldError[] {
  const errs: FieldError[] = [];
  validateObjectMeta(s.metadata, errs);
  validateConfigKeys(s.data, 'data', errs);
  validateConfigKeys(s.stringData, 'stringData', errs);
  let total = 0;
  for (const [k, v] of Object.entries(s.data ?? {})) {
    if (!BASE64_RE.test(v)) errs.push(invalid(`data[${k}]`, '<secret contents redacted>', 'illegal base64 data'));
    total += Math.floor((v.length * 3) / 4);
  }
  for (const v of Object.values(s.stringData ?? {})) total += Buffer.byteLength(v);
  if (total > MAX_SECRET_BYTES)
    errs.push({
      type: 'FieldValueTooLong',
      field: 'data',
      value: '',
      detail: `may not be more than ${MAX_SECRET_BYTES} bytes`,
    });
  return errs;
}

/** The label the API server puts on every namespace: its name, for namespace selectors. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A namespace's name is a DNS-1123 label (not a subdomain); it has no namespace of its own. */
export function validateNamespace(ns: Namespace): FieldError[] {
  const errs: FieldError[] = [];
  const meta = ns.metadata ?? {};
  // Everything but the name as for any object (the name is checked as a label below).
  validateObjectMeta({ ...meta, name: undefined, generateName: meta.name ?? meta.generateName }, errs);
  for (const msg of meta.name ? isDns1123Label(meta.name) : []) errs.unshift(invalid('metadata.name', meta.name, msg));
  return errs;
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** A node's labels and taints, with the API server's messages (ValidateNodeTaints). */
export function validateNode(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  validateObjectMeta(node.metadata, errs);
  const seen = new Set<string>();
  (node.spec?.taints ?? []).forEach((t, i) => {
    const at = `spec.taints[${i}]`;
    for (const msg of isQualifiedName(t.key ?? '')) errs.push(invalid(`${at}.key`, t.key, msg));
    for (const msg of t.value ? isValidLabelValue(t.value) : []) errs.push(invalid(`${at}.value`, t.value, msg));
    if (!t.effect) errs.push(required(`${at}.effect`));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(`${at}.effect`, t.effect, TAINT_EFFECTS));
    const pair = `${t.key}:${t.effect}`;
    if (seen.has(pair)) errs.push(duplicate(at, 'taints must be unique by key and effect pair'));
    seen.add(pair);
  });
  return errs;
}
