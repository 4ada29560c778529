// Validation with the API server's exact field paths and detail texts (reference §1.3–1.4).
import {
  duplicate,
  invalid,
  invalidNoValue,
  notSupported,
  required,
  tooMany,
  type FieldError,
} from './field-errors.js';
import { isDns1123Label, isDns1123Subdomain, isQualifiedName } from './names.js';
import { parseIndexes } from './indexes.js';

import { LABEL_CONTROLLER_UID } from './defaults.js';
import { nonNegative, selectorMatches, validateLabels, validateObjectMeta } from './validation-meta.js';
import { validatePodSpec } from './validation-pod.js';
import type { Job } from './types.js';

export const MAX_PARALLELISM_FOR_INDEXED = 100000;
export const MAX_COMPLETIONS_FOR_PER_INDEX_WITHOUT_MAX_FAILED = 100000;
export const MAX_PARALLELISM_FOR_LARGE_PER_INDEX = 10000;
export const MAX_POD_FAILURE_POLICY_RULES = 20;
export const MAX_POD_FAILURE_POLICY_EXIT_CODES = 255;
export const MAX_POD_FAILURE_POLICY_CONDITIONS = 20;
export const MAX_SUCCESS_POLICY_RULES = 20;
export const MAX_SUCCEEDED_INDEXES_LENGTH = 65536;

const RESTART_POLICIES = ['OnFailure', 'Never'];
const COMPLETION_MODES = ['NonIndexed', 'Indexed'];
const POD_REPLACEMENT_POLICIES = ['Failed', 'TerminatingOrFailed'];
const FAILURE_ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const CONDITION_STATUSES = ['False', 'True', 'Unknown'];

const MAX_MANAGED_BY_LENGTH = 63;
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH = new RegExp(`^${HTTP_PATH_FMT}$`);

/** apimachinery's IsDomainPrefixedPath: an RFC 1123 subdomain, a slash, an HTTP path (`acme.io/foo`). */
function validateDomainPrefixedPath(field: string, value: string): FieldError[] {
  if (value.length === 0) return [required(field)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const path = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || !host || !path)
    return [invalid(field, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDns1123Subdomain(host).map((e) => invalid(field, host, e));
  if (!HTTP_PATH.test(path))
    errs.push(invalid(field, path, `Invalid path (regex used for validation is '${HTTP_PATH_FMT}')`));
  return errs;
}

/** Validates a Job as it would be stored (defaults applied, selector generated). */
export function validateJob(job: Job): FieldError[] {
  const errs: FieldError[] = [];
  const meta = job.metadata ?? {};
  validateObjectMeta(meta, errs);
  const spec = job.spec;
  if (!spec) {
    errs.push(required('spec'));
    return errs;
  }
  const name = meta.name ?? '';
  const manual = spec.manualSelector === true;
  const tlabels = spec.template?.metadata?.labels ?? {};

  // The name travels into the generated label values, capped at 63.
  if (!manual && name && name.length > 63 && isDns1123Subdomain(name).length === 0) {
    errs.push(invalid('spec.template.labels', name, 'must be no more than 63 characters'));
  }
  if (
    spec.completionMode === 'Indexed' &&
    name &&
    typeof spec.completions === 'number' &&
    spec.completions > 0 &&
    isDns1123Subdomain(name).length === 0
  ) {
    const last = `${name}-${spec.completions - 1}`;
    if (isDns1123Label(last).length > 0) {
      errs.push(invalid('metadata.name', name, `will not able to create pod with invalid DNS label: ${last}`));
    }
  }

  nonNegative('spec.parallelism', spec.parallelism, errs);
  nonNegative('spec.completions', spec.completions, errs);
  nonNegative('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, errs);
  nonNegative('spec.backoffLimit', spec.backoffLimit, errs);
  nonNegative('spec.ttlSecondsAfterFinished', spec.ttlSecondsAfterFinished, errs);
  nonNegative('spec.backoffLimitPerIndex', spec.backoffLimitPerIndex, errs);
  nonNegative('spec.maxFailedIndexes', spec.maxFailedIndexes, errs);

  const indexed = spec.completionMode === 'Indexed';
  if (spec.completionMode !== undefined && !COMPLETION_MODES.includes(spec.completionMode)) {
    errs.push(notSupported('spec.completionMode', spec.completionMode, COMPLETION_MODES));
  }
  if (indexed) {
    if (spec.completions === undefined || spec.completions === null)
      errs.push(required('spec.completions', 'when completion mode is Indexed'));
    if ((spec.parallelism ?? 0) > MAX_PARALLELISM_FOR_INDEXED) {
      errs.push(
        invalid(
          'spec.parallelism',
          spec.parallelism,
          `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED} when completion mode is Indexed`,
        ),
      );
    }
  }
  validatePerIndex(job, errs);
  validatePodFailurePolicy(job, errs);
  validateSuccessPolicy(job, errs);
  if (spec.podReplacementPolicy !== undefined) {
    const allowed = spec.podFailurePolicy ? ['Failed'] : POD_REPLACEMENT_POLICIES;
    if (!allowed.includes(spec.podReplacementPolicy))
      errs.push(notSupported('spec.podReplacementPolicy', spec.podReplacementPolicy, allowed));
  }
  if (spec.managedBy !== undefined) {
    errs.push(...validateDomainPrefixedPath('spec.managedBy', spec.managedBy));
    if (spec.managedBy.length > MAX_MANAGED_BY_LENGTH) {
      errs.push({
        type: 'FieldValueTooLong',
        field: 'spec.managedBy',
        value: spec.managedBy,
        detail: `may not be more than ${MAX_MANAGED_BY_LENGTH} bytes`,
      });
    }
  }

  // Selector and template labels.
  if (!spec.selector) {
    errs.push(required('spec.selector'));
  } else {
    if (!manual) {
      const generated = meta.uid
        ? spec.selector.matchLabels?.[LABEL_CONTROLLER_UID] === meta.uid &&
          !spec.selector.matchExpressions?.length &&
          Object.keys(spec.selector.matchLabels ?? {}).length === 1
        : true;
      if (!generated) errs.push(invalid('spec.selector', spec.selector, '`selector` not auto-generated'));
    }
    if (Object.keys(spec.selector.matchLabels ?? {}).length === 0 && !spec.selector.matchExpressions?.length) {
      errs.push(invalid('spec.selector', spec.selector, 'empty selector is invalid for deployment'));
    } else if (!selectorMatches(spec.selector, tlabels)) {
      errs.push(invalid('spec.template.metadata.labels', tlabels, '`selector` does not match template `labels`'));
    }
  }
  if (manual || !name || name.length <= 63) validateLabels(tlabels, 'spec.template.labels', errs);
  const podSpec = spec.template?.spec;
  if (!podSpec) {
    errs.push(required('spec.template.spec'));
    return errs;
  }
  validatePodSpec(podSpec, 'spec.template.spec', errs);
  const rp = podSpec.restartPolicy;
  if (rp === undefined || rp === 'Always') {
    errs.push(required('spec.template.spec.restartPolicy', 'valid values: "OnFailure", "Never"'));
  } else if (!RESTART_POLICIES.includes(rp)) {
    errs.push(notSupported('spec.template.spec.restartPolicy', rp, RESTART_POLICIES));
  } else if (spec.podFailurePolicy && rp !== 'Never') {
    errs.push(
      invalid('spec.template.spec.restartPolicy', rp, 'only "Never" is supported when podFailurePolicy is specified'),
    );
  }
  return errs;
}

function validatePerIndex(job: Job, errs: FieldError[]): void {
  const spec = job.spec;
  const indexed = spec.completionMode === 'Indexed';
  if (spec.backoffLimitPerIndex !== undefined && !indexed) {
    errs.push(invalid('spec.backoffLimitPerIndex', spec.backoffLimitPerIndex, 'requires indexed completion mode'));
  }
  if (spec.maxFailedIndexes !== undefined) {
    if (!indexed)
      errs.push(invalid('spec.maxFailedIndexes', spec.maxFailedIndexes, 'requires indexed completion mode'));
    if (spec.backoffLimitPerIndex === undefined)
      errs.push(required('spec.backoffLimitPerIndex', 'when maxFailedIndexes is specified'));
    if (typeof spec.completions === 'number' && spec.maxFailedIndexes > spec.completions) {
      errs.push(invalid('spec.maxFailedIndexes', spec.maxFailedIndexes, 'must be less than or equal to completions'));
    }
    if (spec.maxFailedIndexes > MAX_COMPLETIONS_FOR_PER_INDEX_WITHOUT_MAX_FAILED) {
      errs.push(
        invalid(
          'spec.maxFailedIndexes',
          spec.maxFailedIndexes,
          `must be less than or equal to ${MAX_COMPLETIONS_FOR_PER_INDEX_WITHOUT_MAX_FAILED}`,
        ),
      );
    }
  }
  if (
    indexed &&
    spec.backoffLimitPerIndex !== undefined &&
    typeof spec.completions === 'number' &&
    spec.completions > MAX_COMPLETIONS_FOR_PER_INDEX_WITHOUT_MAX_FAILED
  ) {
    if (spec.maxFailedIndexes === undefined) {
      errs.push(
        required(
          'spec.maxFailedIndexes',
          `must be specified when completions is above ${MAX_COMPLETIONS_FOR_PER_INDEX_WITHOUT_MAX_FAILED}`,
        ),
      );
    } else if (spec.maxFailedIndexes > MAX_PARALLELISM_FOR_LARGE_PER_INDEX) {
      errs.push(
        invalid(
          'spec.maxFailedIndexes',
          spec.maxFailedIndexes,
          `must be less than or equal to ${MAX_PARALLELISM_FOR_LARGE_PER_INDEX} when completions are above ${MAX_COMPLETIONS_FOR_PER_INDEX_WITHOUT_MAX_FAILED} and used with backoff limit per index`,
        ),
      );
    }
    if ((spec.parallelism ?? 0) > MAX_PARALLELISM_FOR_LARGE_PER_INDEX) {
      errs.push(
        invalid(
          'spec.parallelism',
          spec.parallelism,
          `must be less than or equal to ${MAX_PARALLELISM_FOR_LARGE_PER_INDEX} when completions are above ${MAX_COMPLETIONS_FOR_PER_INDEX_WITHOUT_MAX_FAILED} and used with backoff limit per index`,
        ),
      );
    }
  }
}

function validatePodFailurePolicy(job: Job, errs: FieldError[]): void {
  const pfp = job.spec.podFailurePolicy;
  if (!pfp) return;
  const rules = pfp.rules ?? [];
  const base = 'spec.podFailurePolicy.rules';
  if (rules.length > MAX_POD_FAILURE_POLICY_RULES) errs.push(tooMany(base, rules.length, MAX_POD_FAILURE_POLICY_RULES));
  const podSpec = job.spec.template?.spec;
  const containerNames = new Set(
    [...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])].map((c) => c.name),
  );
  rules.forEach((rule, i) => {
    const p = `${base}[${i}]`;
    if (!rule.action) errs.push(required(`${p}.action`, 'valid values: ["Count" "FailIndex" "FailJob" "Ignore"]'));
    else if (!FAILURE_ACTIONS.includes(rule.action))
      errs.push(notSupported(`${p}.action`, rule.action, FAILURE_ACTIONS));
    else if (rule.action === 'FailIndex' && job.spec.backoffLimitPerIndex === undefined) {
      errs.push(invalid(`${p}.action`, rule.action, 'requires the backoffLimitPerIndex to be set'));
    }
    if (rule.onExitCodes && rule.onPodConditions) {
      errs.push(invalidNoValue(p, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    } else if (!rule.onExitCodes && !rule.onPodConditions) {
      errs.push(invalidNoValue(p, 'specifying one of OnExitCodes and OnPodConditions is required'));
    }
    const ec = rule.onExitCodes;
    if (ec) {
      const ep = `${p}.onExitCodes`;
      if (ec.containerName !== undefined && !containerNames.has(ec.containerName)) {
        errs.push(
          invalid(
            `${ep}.containerName`,
            ec.containerName,
            'must be one of the container or initContainer names in the pod template',
          ),
        );
      }
      if (!['In', 'NotIn'].includes(ec.operator))
        errs.push(notSupported(`${ep}.operator`, ec.operator ?? '', ['In', 'NotIn']));
      const values = ec.values ?? [];
      if (values.length === 0) errs.push(invalid(`${ep}.values`, values, 'at least one value is required'));
      if (values.length > MAX_POD_FAILURE_POLICY_EXIT_CODES)
        errs.push(tooMany(`${ep}.values`, values.length, MAX_POD_FAILURE_POLICY_EXIT_CODES));
      const seen = new Set<number>();
      let prev: number | undefined;
      values.forEach((v, j) => {
        const vp = `${ep}.values[${j}]`;
        if (seen.has(v)) errs.push(duplicate(vp, v));
        if (ec.operator === 'In' && v === 0) errs.push(invalid(vp, v, 'must not be 0 for the In operator'));
        if (prev !== undefined && prev > v) errs.push(invalid(vp, v, 'must be ordered'));
        seen.add(v);
        prev = v;
      });
    }
    const conds = rule.onPodConditions;
    if (conds) {
      if (conds.length > MAX_POD_FAILURE_POLICY_CONDITIONS)
        errs.push(tooMany(`${p}.onPodConditions`, conds.length, MAX_POD_FAILURE_POLICY_CONDITIONS));
      conds.forEach((c, j) => {
        const cp = `${p}.onPodConditions[${j}]`;
        if (!c.type) errs.push(required(`${cp}.type`));
        else for (const msg of isQualifiedName(c.type)) errs.push(invalid(`${cp}.type`, c.type, msg));
        if (c.status !== undefined && !CONDITION_STATUSES.includes(c.status))
          errs.push(notSupported(`${cp}.status`, c.status, CONDITION_STATUSES));
      });
    }
  });
}

function validateSuccessPolicy(job: Job, errs: FieldError[]): void {
  const sp = job.spec.successPolicy;
  if (!sp) return;
  if (job.spec.completionMode !== 'Indexed') {
    errs.push(invalid('spec.successPolicy', sp, 'requires indexed completion mode'));
    return;
  }
  const rules = sp.rules ?? [];
  const base = 'spec.successPolicy.rules';
  if (rules.length === 0)
    errs.push(required(base, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > MAX_SUCCESS_POLICY_RULES) errs.push(tooMany(base, rules.length, MAX_SUCCESS_POLICY_RULES));
  const completions = job.spec.completions ?? 0;
  rules.forEach((rule, i) => {
    const p = `${base}[${i}]`;
    if (rule.succeededIndexes === undefined && rule.succeededCount === undefined) {
      errs.push(required(p, 'at least one of succeededCount or succeededIndexes must be specified'));
    }
    let indexCount: number | undefined;
    if (rule.succeededIndexes !== undefined) {
      if (rule.succeededIndexes.length > MAX_SUCCEEDED_INDEXES_LENGTH) {
        errs.push({
          type: 'FieldValueTooLong',
          field: `${p}.succeededIndexes`,
          value: rule.succeededIndexes,
          detail: `must have at most ${MAX_SUCCEEDED_INDEXES_LENGTH} bytes`,
        });
      } else {
        try {
          indexCount = parseIndexes(rule.succeededIndexes, completions).length;
        } catch (e) {
          errs.push(
            invalid(
              `${p}.succeededIndexes`,
              rule.succeededIndexes,
              `error parsing succeededIndexes: ${(e as Error).message}`,
            ),
          );
        }
      }
    }
    if (rule.succeededCount !== undefined) {
      const cp = `${p}.succeededCount`;
      if (rule.succeededCount < 0) errs.push(invalid(cp, rule.succeededCount, 'must be greater than or equal to 0'));
      else if (rule.succeededCount > completions) {
        errs.push(
          invalid(
            cp,
            rule.succeededCount,
            `must be less than or equal to ${completions} (the number of specified completions)`,
          ),
        );
      } else if (indexCount !== undefined && rule.succeededCount > indexCount) {
        errs.push(
          invalid(
            cp,
            rule.succeededCount,
            `must be less than or equal to ${indexCount} (the number of indexes in the specified succeededIndexes field)`,
          ),
        );
      }
    }
  });
}
