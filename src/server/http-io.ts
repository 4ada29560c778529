// What the HTTP API reads and writes on the wire: bodies (bounded, JSON or Kubernetes' protobuf), DeleteOptions,
// and answers (a metav1.Status, or JSON with its warnings).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequestError, makeStatus, StatusError, type Status } from '../api/index.js';
// Direct, not through the index: only the server decodes protobuf.
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE, ProtobufError } from '../api/protobuf.js';
import { parseApplyBody } from '../api/manifest.js';

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export function sendStatus(res: ServerResponse, status: Status): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(status);
  res.writeHead(status.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendJson(res: ServerResponse, code: number, obj: unknown, warnings: string[] = []): void {
  sendRawJson(res, code, JSON.stringify(obj), warnings);
}

export function sendRawJson(
  res: ServerResponse,
  code: number,
  body: string,
  warnings: string[] = [],
  contentType = 'application/json',
): void {
  const headers: Record<string, string | number | string[]> = {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
  };
  if (warnings.length) headers.Warning = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  res.writeHead(code, headers);
  res.end(body);
}

export async function readBody(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    // Past the limit the body is drained, not kept, so the client can read the 413; far past it, cut.
    if (size > MAX_BODY_BYTES * 4) {
      req.socket.destroy();
      break;
    }
    if (size <= MAX_BODY_BYTES) chunks.push(c as Buffer);
  }
  if (size > MAX_BODY_BYTES)
    throw new StatusError(
      makeStatus(413, 'RequestEntityTooLarge', `the request body is larger than ${MAX_BODY_BYTES} bytes`),
    );
  if (type.split(';')[0].trim() === PROTOBUF_CONTENT_TYPE) {
    // `kubectl create job|configmap|secret|namespace` send their objects so.
    try {
      return decodeProtobufObject(Buffer.concat(chunks));
    } catch (e) {
      if (e instanceof ProtobufError)
        throw badRequestError(`the body of the request could not be decoded: ${e.message}`);
      throw e;
    }
  }
  if (type.split(';')[0].trim() === 'application/apply-patch+yaml') {
    try {
      return parseApplyBody(Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      throw badRequestError(`the body of the request could not be decoded: ${(e as Error).message}`);
    }
  }
  if (!/json/.test(type.split(';')[0]))
    throw new StatusError(
      makeStatus(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json, application/merge-patch+json, application/json-patch+json, ${PROTOBUF_CONTENT_TYPE}`,
      ),
    );
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw badRequestError(`the body of the request could not be decoded: ${(e as Error).message}`);
  }
}

const DELETE_OPTIONS_FIELDS = new Set([
  'kind',
  'apiVersion',
  'propagationPolicy',
  'gracePeriodSeconds',
  'preconditions',
  'orphanDependents',
  'dryRun',
]);

/**
 * `dryRun` (the query's, or a DeleteOptions body's list): `All` runs the write through every check
 * and stores nothing; any other value is refused.
 */
export function dryRunOf(values: readonly unknown[]): boolean {
  for (const v of values) {
    if (v !== 'All') throw badRequestError(`dryRun: Unsupported value: ${JSON.stringify(v)}: supported values: "All"`);
  }
  return values.length > 0;
}

/** A DELETE body must be a DeleteOptions; anything else is refused before anything is deleted. */
export function validateDeleteOptions(body: unknown): {
  propagationPolicy?: string;
  gracePeriodSeconds?: number;
  dryRun?: unknown[];
} {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequestError('the body of a delete must be a DeleteOptions object');
  const o = body as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !DELETE_OPTIONS_FIELDS.has(k));
  if (unknown.length) throw badRequestError(`DeleteOptions: unknown field ${JSON.stringify(unknown[0])}`);
  if (o.kind !== undefined && o.kind !== 'DeleteOptions')
    throw badRequestError(`the body of a delete must be a DeleteOptions, not a ${String(o.kind)}`);
  if (o.propagationPolicy !== undefined && typeof o.propagationPolicy !== 'string')
    throw badRequestError('propagationPolicy must be a string');
  if (
    o.gracePeriodSeconds !== undefined &&
    (typeof o.gracePeriodSeconds !== 'number' || !Number.isInteger(o.gracePeriodSeconds) || o.gracePeriodSeconds < 0)
  ) {
    throw badRequestError('gracePeriodSeconds must be a non-negative integer');
  }
  if (o.dryRun !== undefined && !Array.isArray(o.dryRun)) throw badRequestError('dryRun must be a list');
  return o as { propagationPolicy?: string; gracePeriodSeconds?: number; dryRun?: unknown[] };
}

/** A boolean query parameter as Go's strconv.ParseBool reads it (the Python client sends `True`). */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
export const queryBool = (q: URLSearchParams, name: string): boolean => TRUE.has(q.get(name) ?? '');
