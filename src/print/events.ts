// `jobctl events`: kubectl 1.32's event printer (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; with -A
// the NAMESPACE first), in its order (oldest first by series, last or event time). Strings only.
import { since as sinceTime, type Event } from '../api/index.js';

type Series = { series?: { lastObservedTime?: string; count?: number } };

const zero = (t: string | null | undefined): boolean => !t || Date.parse(t) <= 0 || Number.isNaN(Date.parse(t));
/** The tables' `since`, with Go's zero time (and null) as no time at all. */
const since = (t: string | null | undefined, nowMs: number): string => sinceTime(zero(t) ? undefined : t!, nowMs);

/** kubectl's getInterval: `5s`, or `5s (x3 over 2m)` for a repeated one. */
export function eventInterval(e: Event & Series, nowMs: number): string {
  const first = zero(e.eventTime) ? since(e.firstTimestamp, nowMs) : since(e.eventTime, nowMs);
  if (e.series) return `${since(e.series.lastObservedTime, nowMs)} (x${e.series.count ?? 0} over ${first})`;
  if (e.count > 1) return `${since(e.lastTimestamp, nowMs)} (x${e.count} over ${first})`;
  return first;
}

/** The time kubectl sorts events by. */
export function eventTime(e: Event & Series): number {
  const t = e.series?.lastObservedTime ?? (zero(e.lastTimestamp) ? e.eventTime : e.lastTimestamp);
  return zero(t) ? 0 : Date.parse(t!);
}

/** Oldest first; a stable sort (Go's is stable for the short lists this prints). */
export const sortEvents = <T extends Event>(events: T[]): T[] =>
  events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => eventTime(a.e) - eventTime(b.e) || a.i - b.i)
    .map((x) => x.e);

export function eventsHeader(allNamespaces: boolean): string[] {
  return [...(allNamespaces ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
}

export function eventRow(e: Event, allNamespaces: boolean, nowMs: number): string[] {
  return [
    ...(allNamespaces ? [e.metadata.namespace ?? ''] : []),
    eventInterval(e, nowMs),
    e.type,
    e.reason,
    `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
    (e.message ?? '').trim(),
  ];
}
