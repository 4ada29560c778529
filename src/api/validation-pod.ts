// Pod template validation (PodSpec, containers, volumes, resources), with the API server's messages.
import { duplicate, forbidden, invalid, notFound, notSupported, required, type FieldError } from './field-errors.js';
import { isDns1123Label } from './names.js';

import { parseQuantity } from './quantity.js';

import { nonNegative } from './validation-meta.js';
import type { Container, PodSpec, Volume } from './types.js';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const VOLUME_SOURCES = [
  'emptyDir',
  'hostPath',
  'configMap',
  'secret',
  'downwardAPI',
  'persistentVolumeClaim',
  'projected',
  'nfs',
  'csi',
  'ephemeral',
  'image',
];

export function validatePodSpec(spec: PodSpec, path: string, errs: FieldError[]): void {
  const volumeNames = validateVolumes(spec.volumes ?? [], `${path}.volumes`, errs);
  const seenNames = new Set<string>();
  (spec.initContainers ?? []).forEach((c, i) =>
    validateContainer(c, `${path}.initContainers[${i}]`, seenNames, volumeNames, errs),
  );
  const containers = spec.containers ?? [];
  if (containers.length === 0) errs.push(required(`${path}.containers`));
  containers.forEach((c, i) => validateContainer(c, `${path}.containers[${i}]`, seenNames, volumeNames, errs));
  if (spec.dnsPolicy !== undefined && !DNS_POLICIES.includes(spec.dnsPolicy))
    errs.push(notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, DNS_POLICIES));
  nonNegative(`${path}.terminationGracePeriodSeconds`, spec.terminationGracePeriodSeconds, errs);
  if (
    spec.activeDeadlineSeconds !== undefined &&
    (spec.activeDeadlineSeconds < 1 || spec.activeDeadlineSeconds > 2147483647)
  ) {
    errs.push(
      invalid(
        `${path}.activeDeadlineSeconds`,
        spec.activeDeadlineSeconds,
        'must be between 1 and 2147483647, inclusive',
      ),
    );
  }
  if (spec.hostname !== undefined)
    for (const msg of isDns1123Label(spec.hostname)) errs.push(invalid(`${path}.hostname`, spec.hostname, msg));
  if (spec.subdomain !== undefined)
    for (const msg of isDns1123Label(spec.subdomain)) errs.push(invalid(`${path}.subdomain`, spec.subdomain, msg));
}

function validateVolumes(volumes: Volume[], path: string, errs: FieldError[]): Set<string> {
  const names = new Set<string>();
  volumes.forEach((v, i) => {
    const p = `${path}[${i}]`;
    if (!v.name) errs.push(required(`${p}.name`));
    else {
      for (const msg of isDns1123Label(v.name)) errs.push(invalid(`${p}.name`, v.name, msg));
      if (names.has(v.name)) errs.push(duplicate(`${p}.name`, v.name));
      names.add(v.name);
    }
    const sources = VOLUME_SOURCES.filter((s) => v[s] !== undefined);
    if (sources.length > 1) errs.push(forbidden(`${p}.${sources[1]}`, `may not specify more than 1 volume type`));
    const hostPath = v.hostPath as { path?: string } | undefined;
    if (hostPath && !hostPath.path) errs.push(required(`${p}.hostPath.path`));
    const cm = v.configMap as { name?: string } | undefined;
    if (cm && !cm.name) errs.push(required(`${p}.configMap.name`));
    const secret = v.secret as { secretName?: string } | undefined;
    if (secret && !secret.secretName) errs.push(required(`${p}.secret.secretName`));
    const pvc = v.persistentVolumeClaim as { claimName?: string } | undefined;
    if (pvc && !pvc.claimName) errs.push(required(`${p}.persistentVolumeClaim.claimName`));
  });
  return names;
}

function validateContainer(
  c: Container,
  p: string,
  seenNames: Set<string>,
  volumeNames: Set<string>,
  errs: FieldError[],
): void {
  if (!c.name) errs.push(required(`${p}.name`));
  else {
    for (const msg of isDns1123Label(c.name)) errs.push(invalid(`${p}.name`, c.name, msg));
    if (seenNames.has(c.name)) errs.push(duplicate(`${p}.name`, c.name));
    seenNames.add(c.name);
  }
  if (!c.image) errs.push(required(`${p}.image`));
  else if (c.image.trim() !== c.image)
    errs.push(invalid(`${p}.image`, c.image, 'must not have leading or trailing whitespace'));
  if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(c.imagePullPolicy)) {
    errs.push(notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, PULL_POLICIES));
  }
  if (
    c.terminationMessagePolicy !== undefined &&
    !['File', 'FallbackToLogsOnError'].includes(c.terminationMessagePolicy)
  ) {
    errs.push(
      notSupported(`${p}.terminationMessagePolicy`, c.terminationMessagePolicy, ['File', 'FallbackToLogsOnError']),
    );
  }
  (c.env ?? []).forEach((e, i) => {
    const ep = `${p}.env[${i}]`;
    if (!e.name) errs.push(required(`${ep}.name`));
    else if (!/^[\x20-\x3c\x3e-\x7e]+$/.test(e.name)) {
      errs.push(
        invalid(
          `${ep}.name`,
          e.name,
          "a valid environment variable name must consist only of printable ASCII characters other than '='",
        ),
      );
    }
    if (e.valueFrom) {
      const sources = Object.keys(e.valueFrom).filter((k) => e.valueFrom![k] !== undefined);
      if (e.value) errs.push(invalid(`${ep}.valueFrom`, '', 'may not be specified when `value` is not empty'));
      if (sources.length === 0)
        errs.push(
          invalid(
            `${ep}.valueFrom`,
            '',
            'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
          ),
        );
      else if (sources.length > 1)
        errs.push(invalid(`${ep}.valueFrom`, '', 'may not have more than one field specified at a time'));
    }
  });
  (c.volumeMounts ?? []).forEach((m, i) => {
    const mp = `${p}.volumeMounts[${i}]`;
    if (!m.name) errs.push(required(`${mp}.name`));
    else if (!volumeNames.has(m.name)) errs.push(notFound(`${mp}.name`, m.name));
    if (!m.mountPath) errs.push(required(`${mp}.mountPath`));
  });
  validateResources(c, `${p}.resources`, errs);
}

function validateResources(c: Container, p: string, errs: FieldError[]): void {
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  const check = (kind: 'limits' | 'requests', map: Record<string, string>): void => {
    for (const [name, q] of Object.entries(map)) {
      const rp = `${p}.${kind}[${name}]`;
      if (!STANDARD_RESOURCES.has(name) && !name.startsWith('hugepages-') && !name.includes('/')) {
        errs.push(invalid(rp, name, 'must be a standard resource type or fully qualified'));
        continue;
      }
      if (parseQuantity(q) < 0) errs.push(invalid(rp, q, 'must be greater than or equal to 0'));
    }
  };
  check('limits', limits);
  check('requests', requests);
  for (const [name, req] of Object.entries(requests)) {
    const lim = limits[name];
    if (lim !== undefined && parseQuantity(req) > parseQuantity(lim)) {
      errs.push(invalid(`${p}.requests`, req, `must be less than or equal to ${name} limit of ${lim}`));
    }
  }
}
