// `jobctl events [--for TYPE/NAME] [--types=Normal,Warning] [-w] [-A] [-o json|yaml]`, as kubectl
// 1.32's `events`: the same request (a field selector on the involved object's kind, apiVersion
// and name), filter, order, table and messages.
import { apiVersionOf, resolveResource, type Event } from '../api/index.js';
import { listAndWatch } from '../client/index.js';
import { eventRow, eventsHeader, sortEvents } from '../print/events.js';
import { toJson, toYaml } from '../print/output.js';
import { TablePrinter } from '../print/tabwriter.js';
import { apiPath, connect, namespaceOf, type GlobalOptions } from './context.js';
import { CliError, ExitError, type Io } from './io.js';

export interface EventsOptions extends GlobalOptions {
  for?: string;
  types?: string[];
  watch?: boolean;
  noHeaders?: boolean;
  output?: string;
}

/** `--for job/NAME`: the field selector kubectl sends. */
function forSelector(spec: string, io: Io): string {
  if (!spec.includes('/')) throw new CliError('--for must be in resource/name form');
  const parts = spec.split('/');
  if (parts.length !== 2) throw new CliError('arguments in resource/name form may not have more than one slash');
  const r = resolveResource(parts[0]);
  if (!r) {
    // kubectl's words for a type its mapper does not know, without its usual `error: `.
    io.err(`the server doesn't have a resource type "${parts[0]}"\n`);
    throw new ExitError(1);
  }
  return `involvedObject.kind=${r.kind},involvedObject.apiVersion=${apiVersionOf(r)},involvedObject.name=${parts[1]}`;
}

export async function runEvents(opts: EventsOptions, io: Io): Promise<void> {
  const types = [...new Set((opts.types ?? []).flatMap((t) => t.split(',')).filter(Boolean))].sort();
  for (const t of types)
    if (t.toLowerCase() !== 'normal' && t.toLowerCase() !== 'warning')
      throw new CliError('valid --types are Normal or Warning');
  const format = opts.output ?? '';
  if (!['', 'json', 'yaml'].includes(format))
    throw new CliError(
      `unable to match a printer suitable for the output format "${format}", allowed formats are: json,yaml`,
    );
  const query = new URLSearchParams(opts.for ? { fieldSelector: forSelector(opts.for, io) } : {});
  const all = Boolean(opts.allNamespaces);
  const ns = all ? undefined : namespaceOf(opts);
  const client = await connect(io);
  const wanted = (e: Event) => !types.length || types.some((t) => t.toLowerCase() === e.type.toLowerCase());
  const table = new TablePrinter();
  let headed = Boolean(opts.noHeaders);
  const print = async (events: Event[]) => {
    if (format === 'json') for (const e of events) io.out(toJson(e));
    else if (format === 'yaml') for (const e of events) io.out(`${await toYaml(e)}---\n`);
    else {
      const rows = events.map((e) => eventRow(e, all, Date.now()));
      if (!headed) rows.unshift(eventsHeader(all));
      headed = true;
      io.out(table.render(rows));
    }
  };
  if (opts.watch) {
    // kubectl watches without listing: the server first sends what there is, as ADDED.
    await listAndWatch<Event>(
      client,
      apiPath('events', ns),
      {
        onEvent: async (ev) => {
          if (ev.type !== 'DELETED' && wanted(ev.object)) await print([ev.object]);
        },
      },
      { query, from: '0', reconnect: () => connect(io) },
    );
    return;
  }
  const list = await client.listAll<Event>(apiPath('events', ns), query);
  const events = sortEvents(list.items.filter(wanted));
  if (!events.length) {
    io.err(all ? 'No events found.\n' : `No events found in ${ns} namespace.\n`);
    return;
  }
  const items = events.map((e) => ({ ...e, apiVersion: e.apiVersion ?? 'v1', kind: e.kind ?? 'Event' }));
  if (format === 'json') io.out(toJson({ kind: 'EventList', apiVersion: 'v1', metadata: {}, items }));
  else if (format === 'yaml') io.out(await toYaml({ kind: 'EventList', apiVersion: 'v1', metadata: {}, items }));
  else await print(events);
}
