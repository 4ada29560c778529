// The tables jobctl prints for jobs, pods, events, configmaps and secrets: the columns of
// api/columns.ts (the server's Tables read the same), with STATUS in colour on a terminal.
import { columnsOf, since, type ApiObject, type Event } from '../api/index.js';
import type { Palette } from './colour.js';

/** A kind's columns as printed: `-o wide` adds the priority-1 ones. */
const shown = (kind: string, wide: boolean) => (columnsOf(kind) ?? []).filter((c) => wide || c.priority === 0);

/** The headers of a kind's table. */
export function headersOf(kind: string, wide: boolean): string[] {
  return shown(kind, wide).map((c) => c.name.toUpperCase());
}

/** One object's row. */
export function rowOf(o: ApiObject, nowMs: number, wide: boolean, p: Palette): string[] {
  return shown(o.kind, wide).map((c) => {
    const text = String(c.cell(o, nowMs));
    return c.name === 'Status' ? p.status(text) : text;
  });
}

/** `2m48s (x64 over 17m)` for aggregated events, as describe shows them. */
export function eventAge(e: Event, nowMs: number): string {
  const last = since(e.lastTimestamp, nowMs);
  return e.count > 1 ? `${last} (x${e.count} over ${since(e.firstTimestamp, nowMs)})` : last;
}
