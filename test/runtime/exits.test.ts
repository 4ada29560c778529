// The exit watcher's bookkeeping around a dropped event stream, on a scripted engine. That exits
// are reported at all is proven against the real engine by every end-to-end test.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ContainerInfo } from '../../src/runtime/cri.js';
import { RuntimeError } from '../../src/runtime/cri.js';
import { ExitWatcher } from '../../src/runtime/exits.js';

class ScriptedEngine {
  streams = 0;
  refuse = false;
  onExit?: (id: string, code: number | undefined) => void;
  onEnd?: (err?: Error) => void;
  states = new Map<string, string>();
  codes = new Map<string, number>();
  label?: string;
  /** Containers whose next inspection fails as if the engine were away. */
  unreachable = new Set<string>();

  watchExits(
    label: string,
    onExit: (id: string, code: number | undefined) => void,
    onEnd: (err?: Error) => void,
  ): Promise<() => void> {
    if (this.refuse) return Promise.reject(new RuntimeError(0, 'cannot reach the Docker engine'));
    this.streams++;
    this.label = label;
    this.onExit = onExit;
    this.onEnd = onEnd;
    return Promise.resolve(() => undefined);
  }

  inspectContainer(id: string): Promise<ContainerInfo> {
    if (this.unreachable.delete(id)) return Promise.reject(new RuntimeError(0, 'cannot reach the Docker engine'));
    const status = this.states.get(id);
    if (!status) return Promise.reject(new RuntimeError(404, `No such container: ${id}`));
    return Promise.resolve({
      id,
      status,
      running: status === 'running',
      exitCode: this.codes.get(id) ?? 0,
    } as ContainerInfo);
  }

  die(id: string, exitCode: number): void {
    this.onExit?.(id, exitCode);
  }
}

describe('ExitWatcher', () => {
  afterEach(() => vi.useRealTimers());

  it('reports each awaited exit once, from one stream filtered to this instance', async () => {
    const engine = new ScriptedEngine();
    const w = new ExitWatcher(engine, { instanceId: 'abc', retryMs: 10 });
    const seen: [string, number | undefined][] = [];
    await w.watch('c1', (code) => seen.push(['c1', code]));
    await w.watch('c2', (code) => seen.push(['c2', code]));
    engine.die('c2', 3);
    engine.die('c2', 3);
    engine.die('other', 0);
    engine.die('c1', 0);
    expect(seen).toEqual([
      ['c2', 3],
      ['c1', 0],
    ]);
    expect(engine.streams).toBe(1);
    expect(engine.label).toBe('io.jobctl.instance=abc');
  });

  it('after the stream drops, opens it again and reports what stopped or vanished meanwhile', async () => {
    vi.useFakeTimers();
    const engine = new ScriptedEngine();
    const w = new ExitWatcher(engine, { instanceId: 'abc', retryMs: 10 });
    const seen = new Map<string, number | undefined>();
    for (const id of ['running', 'exited', 'gone', 'created']) await w.watch(id, (code) => seen.set(id, code));
    engine.states.set('running', 'running').set('exited', 'exited').set('created', 'created');
    engine.codes.set('exited', 7);
    engine.refuse = true;
    engine.onEnd?.(new Error('socket hang up'));
    await vi.advanceTimersByTimeAsync(10); // first reopen refused; retried after 20 ms
    expect(engine.streams).toBe(1);
    engine.refuse = false;
    await vi.advanceTimersByTimeAsync(20);
    expect(engine.streams).toBe(2);
    expect([...seen]).toEqual([
      ['exited', 7],
      ['gone', undefined],
    ]);
    engine.die('running', 1);
    engine.die('exited', 7);
    expect(seen.get('running')).toBe(1);
    expect(seen.size).toBe(3);
  });

  it('a watch that reopens a dropped stream reports at once what stopped meanwhile', async () => {
    vi.useFakeTimers();
    const engine = new ScriptedEngine();
    const w = new ExitWatcher(engine, { instanceId: 'abc', retryMs: 60_000 });
    const seen: string[] = [];
    await w.watch('old', (code) => seen.push(`old ${code}`));
    engine.states.set('old', 'exited');
    engine.onEnd?.(new Error('EOF'));
    engine.states.set('new', 'created'); // the kubelet watches a container once created, before its start
    await w.watch('new', (code) => seen.push(`new ${code}`));
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.streams).toBe(2);
    expect(seen).toEqual(['old 0']);
  });

  it('inspects again later a container the engine could not answer for after a reopen', async () => {
    vi.useFakeTimers();
    const engine = new ScriptedEngine();
    const w = new ExitWatcher(engine, { instanceId: 'abc', retryMs: 10 });
    const seen: (number | undefined)[] = [];
    await w.watch('c1', (code) => seen.push(code));
    engine.states.set('c1', 'exited');
    engine.codes.set('c1', 2);
    engine.unreachable.add('c1');
    engine.onEnd?.();
    await vi.advanceTimersByTimeAsync(10);
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(10);
    expect(seen).toEqual([2]);
  });

  it('leaves a dropped stream closed while nothing is awaited, and a forgotten container unreported', async () => {
    vi.useFakeTimers();
    const engine = new ScriptedEngine();
    const w = new ExitWatcher(engine, { instanceId: 'abc', retryMs: 10 });
    const seen: string[] = [];
    await w.watch('c1', () => seen.push('c1'));
    w.forget('c1');
    engine.onEnd?.();
    await vi.advanceTimersByTimeAsync(1000);
    expect(engine.streams).toBe(1);
    await w.watch('c2', () => seen.push('c2'));
    expect(engine.streams).toBe(2);
    engine.die('c1', 0);
    engine.die('c2', 0);
    expect(seen).toEqual(['c2']);
  });

  it('rejects a watch when the engine cannot be reached, and forgets it', async () => {
    const engine = new ScriptedEngine();
    engine.refuse = true;
    const w = new ExitWatcher(engine, { instanceId: 'abc', retryMs: 10 });
    const seen: string[] = [];
    await expect(w.watch('c1', () => seen.push('c1'))).rejects.toThrow(/cannot reach/);
    engine.refuse = false;
    await w.watch('c2', () => seen.push('c2'));
    engine.die('c1', 0);
    expect(seen).toEqual([]);
  });
});
