// OpenAPI v3, as much as kubectl reads: the index at /openapi/v3, and per group version the
// paths of each kind with their operations tagged by group, version and kind, declaring the
// `fieldValidation`, `fieldManager` and `dryRun` query parameters. kubectl looks for
// `fieldValidation` on a kind's PATCH operation before it sends `fieldValidation=Strict` and
// leaves validation to the server (`kubectl apply`, `create -f`). The component schemas, with
// descriptions written for jobctl, are what `explain` (kubectl's and jobctl's) reads. No PATCH
// operation declares a strategic-merge request body, so kubectl's client-side apply keeps
// computing its patches from its built-in types rather than from these schemas.
import { createHash } from 'node:crypto';
import { apiVersionOf, RESOURCE_TABLE, type Resource } from '../api/index.js';
import { componentSchemas } from './openapi-docs.js';

/** `apis/batch/v1`, `api/v1`: where a group version's paths (and its document) are. */
const gvPath = (r: Resource) => `${r.group ? 'apis' : 'api'}/${apiVersionOf(r)}`;

const query = (name: string, description: string) => ({
  name,
  in: 'query',
  description,
  schema: { type: 'string', uniqueItems: true },
});
const WRITE_PARAMS = [
  query('dryRun', 'When present, indicates that modifications should not be persisted. Valid values are: - All'),
  query('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  query(
    'fieldValidation',
    'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (the default), Strict.',
  ),
];

function operation(r: Resource, action: string, write: boolean) {
  return {
    operationId: `${action}${r.kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: r.group, version: r.version, kind: r.kind },
    ...(write ? { parameters: WRITE_PARAMS } : {}),
    responses: { '200': { description: 'OK' } },
  };
}

function groupDocument(path: string): object | undefined {
  const rows = RESOURCE_TABLE.filter((r) => gvPath(r) === path);
  if (rows.length === 0) return undefined;
  const paths: Record<string, object> = {};
  for (const r of rows) {
    const base = `/${path}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    paths[base] = { get: operation(r, 'list', false), post: operation(r, 'post', true) };
    paths[`${base}/{name}`] = {
      get: operation(r, 'get', false),
      put: operation(r, 'put', true),
      patch: operation(r, 'patch', true),
      delete: operation(r, 'delete', false),
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0-jobctl' },
    paths,
    components: { schemas: componentSchemas(rows) },
  };
}

let built: Map<string, { text: string; hash: string }> | undefined;
/** Each group version's document and its hash, made when first asked for (not at the server's start). */
function documents(): Map<string, { text: string; hash: string }> {
  if (built) return built;
  built = new Map();
  for (const r of RESOURCE_TABLE) {
    const path = gvPath(r);
    if (built.has(path)) continue;
    const text = JSON.stringify(groupDocument(path));
    built.set(path, { text, hash: createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase() });
  }
  return built;
}

/** `GET /openapi/v3`: where each group version's document is (its hash in the URL, for caches). */
export function openapiIndex(): object {
  return {
    paths: Object.fromEntries(
      [...documents()].map(([path, d]) => [path, { serverRelativeURL: `/openapi/v3/${path}?hash=${d.hash}` }]),
    ),
  };
}

/** `GET /openapi/v3/<group version path>`: its document, serialised; undefined if not served. */
export function openapiDocument(path: string): string | undefined {
  return documents().get(path)?.text;
}
