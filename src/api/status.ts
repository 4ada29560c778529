// metav1.Status errors with Kubernetes' codes, reasons and messages.
import { renderFieldError, toCause, type FieldError } from './field-errors.js';
import type { Status, StatusDetails } from './types.js';

export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}

export function makeStatus(code: number, reason: string, message: string, details?: StatusDetails): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** `jobs.batch`, `pods`, `configmaps`: the qualified resource in Kubernetes' messages. */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

export function invalidError(kind: string, group: string, name: string, errs: FieldError[]): StatusError {
  const rendered = [...new Set(errs.map(renderFieldError))];
  const agg = rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  return new StatusError(
    makeStatus(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${agg}`, {
      name,
      group,
      kind,
      causes: errs.map(toCause),
    }),
  );
}

export const notFoundError = (resource: string, group: string, name: string): StatusError =>
  new StatusError(
    makeStatus(404, 'NotFound', `${qualifiedResource(resource, group)} "${name}" not found`, {
      name,
      group,
      kind: resource,
    }),
  );

export const alreadyExistsError = (resource: string, group: string, name: string): StatusError =>
  new StatusError(
    makeStatus(409, 'AlreadyExists', `${qualifiedResource(resource, group)} "${name}" already exists`, {
      name,
      group,
      kind: resource,
    }),
  );

export const conflictError = (resource: string, group: string, name: string, why: string): StatusError =>
  new StatusError(
    makeStatus(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} "${name}": ${why}`,
      { name, group, kind: resource },
    ),
  );

export const badRequestError = (message: string): StatusError =>
  new StatusError(makeStatus(400, 'BadRequest', message));

/** 403 Forbidden: `jobs.batch "x" is forbidden: <why>`. */
export const forbiddenError = (
  resource: string,
  group: string,
  name: string,
  why: string,
  causes?: StatusDetails['causes'],
): StatusError =>
  new StatusError(
    makeStatus(403, 'Forbidden', `${qualifiedResource(resource, group)} "${name}" is forbidden: ${why}`, {
      name,
      group,
      kind: resource,
      ...(causes ? { causes } : {}),
    }),
  );
