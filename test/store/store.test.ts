import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/temp.js';
import { describe, expect, it } from 'vitest';
import type { ConfigMap, Event, Pod } from '../../src/api/index.js';
import { EVENT_KEYS_MAX, Registry } from '../../src/apiserver/index.js';
import { Store, type Change } from '../../src/store/index.js';

const cm = (name: string, data: Record<string, string> = {}): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});
const open = () => new Store(join(tempDir('jobctl-store-'), 'state.db'));

describe('store', () => {
  it('every write bumps the global revision, which is the resourceVersion', () => {
    const s = open();
    const a = s.create(cm('a'));
    const b = s.create(cm('b'));
    expect(Number(b.metadata.resourceVersion)).toBe(Number(a.metadata.resourceVersion) + 1);
    const a2 = s.update({ ...a, data: { k: 'v' } });
    expect(Number(a2.metadata.resourceVersion)).toBe(Number(b.metadata.resourceVersion) + 1);
    expect(s.get<ConfigMap>('ConfigMap', 'default', 'a')?.data).toEqual({ k: 'v' });
    expect(s.integrityCheck()).toBe('ok');
  });

  it('updates compare-and-swap on resourceVersion', () => {
    const s = open();
    const a = s.create(cm('a'));
    s.update({ ...a, data: { x: '1' } });
    expect(() => s.update({ ...a, data: { x: '2' } })).toThrow(/the object has been modified/);
  });

  it('create refuses duplicates; get of a missing object is undefined', () => {
    const s = open();
    s.create(cm('a'));
    expect(() => s.create(cm('a'))).toThrow('configmaps "a" already exists');
    expect(s.get('ConfigMap', 'default', 'zz')).toBeUndefined();
  });

  it('watch replays after a revision, then streams, in order', () => {
    const s = open();
    const a = s.create(cm('a'));
    s.create(cm('b'));
    const seen: Change[] = [];
    const stop = s.watch('ConfigMap', Number(a.metadata.resourceVersion), (c) => seen.push(c));
    s.delete('ConfigMap', 'default', 'a');
    stop();
    s.create(cm('c'));
    expect(seen.map((c) => `${c.type} ${c.object.metadata.name}`)).toEqual(['ADDED b', 'DELETED a']);
  });

  it('a transaction is atomic: nothing of it lands when it throws', () => {
    const s = open();
    expect(() =>
      s.transact(() => {
        s.create(cm('a'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(s.get('ConfigMap', 'default', 'a')).toBeUndefined();
  });

  it("transactions share the turn's commit: seen in-process at once, on disk after flush or the turn", async () => {
    const dir = tempDir('jobctl-store-');
    const s = new Store(join(dir, 'state.db'));
    const disk = new Database(join(dir, 'state.db'), { readonly: true });
    const onDisk = (name: string) =>
      disk.prepare("SELECT 1 FROM objects WHERE kind = 'ConfigMap' AND name = ?").get(name) !== undefined;
    const seen: string[] = [];
    s.subscribe((c) => seen.push(c.object.metadata.name!));
    s.create(cm('a'));
    s.create(cm('b'));
    expect(s.get('ConfigMap', 'default', 'b')).toBeDefined();
    expect(seen).toEqual(['a', 'b']);
    expect([onDisk('a'), onDisk('b')]).toEqual([false, false]);
    s.flush();
    expect([onDisk('a'), onDisk('b')]).toEqual([true, true]);
    s.create(cm('c'));
    // Within a transaction a flush waits for its end.
    s.transact(() => {
      s.create(cm('d'));
      s.flush();
      expect(onDisk('c')).toBe(false);
    });
    expect([onDisk('c'), onDisk('d')]).toEqual([true, true]);
    s.create(cm('e'));
    await new Promise((r) => setImmediate(r));
    expect(onDisk('e')).toBe(true);
    // A failed transaction takes back only its own writes.
    s.create(cm('f'));
    expect(() =>
      s.transact(() => {
        s.create(cm('g'));
        throw new Error('boom');
      }),
    ).toThrow('boom');
    s.flush();
    expect([onDisk('f'), onDisk('g')]).toEqual([true, false]);
    disk.close();
    s.close();
  });

  it('compaction keeps a window; watching from before it is 410 Expired', () => {
    const s = open();
    for (let i = 0; i < 20; i++) s.create(cm(`o${i}`));
    s.compact(5);
    expect(() => s.watch('ConfigMap', 2, () => undefined)).toThrow(/too old resource version/);
    const seen: string[] = [];
    s.watch('ConfigMap', s.currentRevision() - 2, (c) => seen.push(c.object.metadata.name!));
    expect(seen).toEqual(['o18', 'o19']);
  });

  it('revisions keep growing across reopening', () => {
    const dir = tempDir('jobctl-store-');
    const s1 = new Store(join(dir, 'state.db'));
    s1.create(cm('a'));
    s1.delete('ConfigMap', 'default', 'a');
    const rev = s1.currentRevision();
    s1.close();
    const s2 = new Store(join(dir, 'state.db'));
    expect(Number(s2.create(cm('b')).metadata.resourceVersion)).toBe(rev + 1);
  });
});

describe('owner index', () => {
  const owned = (name: string): Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: '2026-11-30T12:00:00Z',
      labels: { 'batch.kubernetes.io/job-completion-index': '3', 'job-name': 'j' },
      annotations: { 'batch.kubernetes.io/job-completion-index': '3', 'sim.jobctl.io/duration': '1s' },
      finalizers: ['batch.kubernetes.io/job-tracking'],
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'j', uid: 'job-uid', controller: true }],
    },
    spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.35', command: ['true'] }] },
  });
  const terminated = { exitCode: 3, reason: 'Error', startedAt: 't0', finishedAt: 't1' };
  const finished = (p: Pod, phase: 'Succeeded' | 'Failed'): Pod => ({
    ...p,
    status: {
      phase,
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        {
          name: 'c',
          state: { terminated },
          lastState: {},
          ready: false,
          restartCount: 1,
          image: 'busybox:1.35',
          imageID: 'sha256:x',
          containerID: 'docker://x',
        },
      ],
    },
  });

  it('holds live pods whole, settled ones (finished, no finalizer) as summaries, read whole by get', () => {
    const s = open();
    const a = s.create(owned('a'));
    s.create(owned('b'));
    const aDone = s.update(finished(a, 'Failed'));
    // Finished but not yet counted: still whole.
    expect(s.listOwnedBy<Pod>('job-uid').find((p) => p.metadata.name === 'a')).toEqual(aDone);
    const settled = s.update({ ...aDone, metadata: { ...aDone.metadata, finalizers: [] } });
    const summary = s.listOwnedBy<Pod>('job-uid').find((p) => p.metadata.name === 'a')!;
    expect(summary.metadata).toEqual({
      name: 'a',
      namespace: 'default',
      uid: settled.metadata.uid,
      creationTimestamp: settled.metadata.creationTimestamp,
      annotations: { 'batch.kubernetes.io/job-completion-index': '3' },
    });
    expect(summary.spec.containers).toEqual([]);
    expect(summary.status?.phase).toBe('Failed');
    expect(summary.status?.conditions).toEqual([{ type: 'Ready', status: 'False' }]);
    expect(summary.status?.containerStatuses?.[0]).toMatchObject({
      name: 'c',
      restartCount: 1,
      state: { terminated: { exitCode: 3, reason: 'Error', finishedAt: 't1' } },
    });
    expect(summary.status?.containerStatuses?.[0].containerID).toBeUndefined();
    expect(s.get('Pod', 'default', 'a')).toEqual(settled);
    // The index's own reads never hand out a summary as the object.
    expect(s.peek('Pod', 'default', 'a')).toEqual(settled);
    expect(
      s
        .listOwnedBy<Pod>('job-uid')
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(['a', 'b']);
    s.delete('Pod', 'default', 'a');
    expect(s.listOwnedBy<Pod>('job-uid').map((p) => p.metadata.name)).toEqual(['b']);
  });
});

describe('events', () => {
  it('a repeated event is counted; what it counts by is bounded, as in Kubernetes', () => {
    const registry = new Registry(open());
    const subject = (i: number | string) => ({
      ...cm(`subject-${i}`),
      metadata: { name: `s-${i}`, namespace: 'default', uid: `u-${i}` },
    });
    const say = (i: number | string) => registry.recordEvent(subject(i), 'Normal', 'Said', 'hello', 'kubelet');
    const countsOf = (i: number | string) =>
      registry.store
        .list<Event>('Event', 'default')
        .filter((e) => e.involvedObject.uid === `u-${i}`)
        .map((e) => e.count);
    say('first');
    say('first');
    expect(countsOf('first')).toEqual([2]);
    for (let i = 0; i < EVENT_KEYS_MAX; i++) say(i);
    say('first'); // forgotten by now: a new event, not a third count
    expect(countsOf('first')).toEqual([2, 1]);
    say(EVENT_KEYS_MAX - 1); // recent: still counted
    expect(countsOf(EVENT_KEYS_MAX - 1)).toEqual([2]);
  });

  it('reads the events about one object by its uid, through their index', () => {
    const registry = new Registry(open());
    const a = { ...cm('a'), metadata: { name: 'a', namespace: 'default', uid: 'u-a' } };
    const b = { ...cm('b'), metadata: { name: 'b', namespace: 'default', uid: 'u-b' } };
    registry.recordEvent(a, 'Normal', 'One', 'first', 'kubelet');
    registry.recordEvent(b, 'Normal', 'One', 'other', 'kubelet');
    registry.recordEvent(a, 'Warning', 'Two', 'second', 'kubelet');
    const about = (uid: string, ns?: string) =>
      registry.store.eventsAboutJson(uid, ns).map((j) => (JSON.parse(j) as Event).message);
    expect(about('u-a').sort()).toEqual(['first', 'second']);
    expect(about('u-a', 'default').sort()).toEqual(['first', 'second']);
    expect(about('u-a', 'elsewhere')).toEqual([]);
    expect(about('u-b')).toEqual(['other']);
  });
});
