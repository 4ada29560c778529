// `jobctl timeline job/NAME [-o svg]`: the Job's attempts as a picture (issue 18): on a terminal in
// colour at its width, plain characters in a pipe or with NO_COLOR, or a standalone SVG.
import { timelineModel, renderTimeline } from '../print/timeline.js';
import { timelineSvg } from '../print/timeline-svg.js';
import { attemptsTarget, fetchAttempts, readTarget } from './attempts.js';
import { connect, namespaceOf, type GlobalOptions } from './context.js';
import { CliError, type Io } from './io.js';

export interface TimelineOptions extends GlobalOptions {
  output?: string;
  width?: string;
}

export async function runTimeline(args: string[], opts: TimelineOptions, io: Io): Promise<void> {
  const t = attemptsTarget(args, 'timeline');
  const format = opts.output ?? '';
  if (!['', 'svg'].includes(format))
    throw new CliError(
      `unable to match a printer suitable for the output format "${format}", allowed formats are: svg`,
    );
  let width: number | undefined;
  if (opts.width !== undefined) {
    width = Number(opts.width);
    if (!Number.isInteger(width) || width < 40)
      throw new CliError(`invalid argument "${opts.width}" for "--width" flag: 40 or more`);
  }
  const ns = namespaceOf(opts);
  const client = await connect(io);
  await readTarget(client, ns, t);
  const list = await fetchAttempts(client, ns, t);
  const label = `${t.resource === 'jobs' ? 'job' : 'pod'}/${t.name}`;
  const model = timelineModel(list, label);
  if (format === 'svg') {
    io.out(timelineSvg(model));
    return;
  }
  const colour = io.stdoutIsTTY && !io.env.NO_COLOR && !opts.noColor;
  const columns = width ?? (io.stdoutIsTTY ? io.columns : undefined) ?? (Number(io.env.COLUMNS) || 80);
  io.out(renderTimeline(model, { colour, width: columns }));
}
