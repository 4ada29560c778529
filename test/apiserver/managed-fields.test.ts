// Field ownership (metadata.managedFields): what an update records, what a server-side apply
// owns, merges, removes and refuses, with Kubernetes' conflict messages.
import { describe, expect, it } from 'vitest';
import type { ApiObject, Job, StatusError } from '../../src/api/index.js';
import { fieldSetOf, leaves, pathString, type FieldSet } from '../../src/api/fieldset.js';
import { jobSchema } from '../../src/api/schema.js';
import { strategicMerge } from '../../src/api/strategic-merge.js';
import { serverSideApply, trackUpdate, managerOf } from '../../src/apiserver/managed-fields.js';

const job = (parallelism: number, labels: Record<string, string> = { team: 'a' }, image = 'busybox:1.35'): Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'j', namespace: 'default', labels },
  spec: {
    parallelism,
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image, command: ['true'] }] } },
  },
});
const t0 = new Date('2026-11-30T10:00:00Z');
const t1 = new Date('2026-11-30T11:00:00Z');
const merge = (live: ApiObject, config: ApiObject) => strategicMerge(live, config, jobSchema) as ApiObject;
const owned = (o: { fieldsV1?: FieldSet }) => leaves(o.fieldsV1 ?? {}).map(pathString);
const conflictOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as StatusError).status;
  }
  throw new Error('no conflict');
};

describe('field sets', () => {
  it("a Job's fields: list items by their key, atomic lists and identity fields as Kubernetes has them", () => {
    expect(fieldSetOf(job(1), jobSchema)).toEqual({
      'f:metadata': { 'f:labels': { 'f:team': {} } },
      'f:spec': {
        'f:parallelism': {},
        'f:template': {
          'f:spec': {
            'f:restartPolicy': {},
            'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:name': {}, 'f:image': {}, 'f:command': {} } },
          },
        },
      },
    });
    expect(owned({ fieldsV1: fieldSetOf(job(1), jobSchema) })).toContain(
      '.spec.template.spec.containers[name="c"].image',
    );
  });
});

describe('updates', () => {
  it('a create owns everything; a later update takes what it changed; a removed field is no one’s', () => {
    const created = trackUpdate([], undefined, job(1), 'kubectl-create', jobSchema, t0);
    expect(created.map((e) => `${e.manager} ${e.operation} ${e.time}`)).toEqual([
      'kubectl-create Update 2026-11-30T10:00:00Z',
    ]);
    const edited = trackUpdate(created, job(1), job(2, {}), 'kubectl-edit', jobSchema, t1);
    expect(edited.map((e) => [e.manager, owned(e)])).toEqual([
      ['kubectl-create', expect.not.arrayContaining(['.spec.parallelism', '.metadata.labels.team'])],
      ['kubectl-edit', ['.spec.parallelism']],
    ]);
    // Nothing changed: nothing recorded, no new time.
    expect(trackUpdate(edited, job(2, {}), job(2, {}), 'other', jobSchema, t1)).toEqual(edited);
    expect(managerOf(null, 'kubectl/v1.32.0 (linux/amd64) kubernetes/abc')).toBe('kubectl');
    expect(managerOf('mine', 'kubectl/v1.32.0')).toBe('mine');
    expect(managerOf(null, undefined)).toBe('unknown');
  });
});

describe('server-side apply', () => {
  const created = () => {
    const first = serverSideApply(undefined, job(1), 'kubectl', false, jobSchema, merge, t0);
    return { ...first.object, metadata: { ...first.object.metadata, managedFields: first.managedFields } };
  };

  it('refuses a different value for a field another manager owns, with the manager and path', () => {
    const live = created();
    expect(conflictOf(() => serverSideApply(live, job(2), 'other', false, jobSchema, merge, t1))).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.parallelism',
      details: { causes: [{ reason: 'FieldManagerConflict', field: '.spec.parallelism' }] },
    });
    const two = conflictOf(() => serverSideApply(live, job(2, { team: 'b' }), 'other', false, jobSchema, merge, t1));
    expect(two.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl":\n- .metadata.labels.team\n- .spec.parallelism',
    );
    const byUpdate = {
      ...live,
      metadata: {
        ...live.metadata,
        managedFields: trackUpdate([], undefined, live, 'kubectl-client-side-apply', jobSchema, t0),
      },
    };
    expect(conflictOf(() => serverSideApply(byUpdate, job(3), 'kubectl', false, jobSchema, merge, t1)).message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using batch/v1: .spec.parallelism',
    );
  });

  it('force takes the field; the same value is co-owned; a field no longer applied goes', () => {
    const live = created();
    const forced = serverSideApply(live, job(2), 'other', true, jobSchema, merge, t1);
    expect((forced.object as Job).spec.parallelism).toBe(2);
    const [kubectl, other] = forced.managedFields;
    expect(owned(kubectl)).not.toContain('.spec.parallelism');
    expect(owned(other)).toContain('.spec.parallelism');
    expect(owned(kubectl)).toContain('.metadata.labels.team'); // same value: shared
    expect(owned(other)).toContain('.metadata.labels.team');

    // kubectl stops applying its label and the container's command: only what others own stays.
    const config = job(1, {});
    delete (config.spec.template.spec.containers[0] as { command?: string[] }).command;
    const dropped = serverSideApply(live, config, 'kubectl', false, jobSchema, merge, t1);
    expect((dropped.object as Job).metadata.labels).toEqual({});
    expect((dropped.object as Job).spec.template.spec.containers[0].command).toBeUndefined();
    // Applying the same configuration again keeps the entry (and its time).
    expect(serverSideApply(live, job(1), 'kubectl', false, jobSchema, merge, t1).managedFields).toEqual(
      live.metadata.managedFields,
    );
  });
});
