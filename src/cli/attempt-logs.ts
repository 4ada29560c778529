// `jobctl logs job/NAME --attempt N | --all-attempts`: the output of any attempt of a Job (or a
// pod), kept until the Job is deleted, not only the current and previous run (issue 18).
import { attemptsPath, type Attempt } from '../api/index.js';
import { attemptPrefix, droppedText } from '../print/attempts.js';
import { attemptsTarget, fetchAttempts } from './attempts.js';
import { connect, namespaceOf } from './context.js';
import { CliError, type Io } from './io.js';
import { pipeLines, type LogsOptions } from './logs.js';

export async function runAttemptLogs(target: string, opts: LogsOptions, io: Io): Promise<void> {
  if (opts.attempt !== undefined && opts.allAttempts)
    throw new CliError('--attempt and --all-attempts cannot be used together');
  for (const [flag, on] of [
    ['--follow', opts.follow],
    ['--previous', opts.previous],
    ['--selector', opts.selector],
    ['--all-pods', opts.allPods],
  ] as const)
    if (on) throw new CliError(`${flag} cannot be used with ${opts.allAttempts ? '--all-attempts' : '--attempt'}`);
  const n = opts.attempt === undefined ? undefined : Number(opts.attempt);
  if (n !== undefined && !(Number.isInteger(n) && n > 0))
    throw new CliError(`invalid argument "${opts.attempt}" for "--attempt" flag: a number from 1`);
  const tail = opts.tail !== undefined && opts.tail !== '-1' ? opts.tail : undefined;
  if (tail !== undefined && !/^\d+$/.test(tail))
    throw new CliError(`invalid argument "${opts.tail}" for "--tail" flag`);
  // As for `logs`, a bare NAME is a pod.
  const t = attemptsTarget([target.includes('/') ? target : `pod/${target}`], 'logs --attempt');
  const ns = namespaceOf(opts);
  const client = await connect(io);
  const list = await fetchAttempts(client, ns, t);
  const label = `${t.resource === 'jobs' ? 'job' : 'pod'}/${t.name}`;
  let chosen: Attempt[];
  if (n !== undefined) {
    const a = list.items.find((x) => x.attempt === n);
    if (!a) throw new CliError(`${label} has no attempt ${n}: it has ${list.items.length} (jobctl attempts ${label})`);
    chosen = [a];
  } else chosen = list.items.filter((a) => !opts.container || a.container === opts.container);
  for (const a of chosen) {
    const prefix = opts.allAttempts || opts.prefix ? attemptPrefix(a) : '';
    const dropped = droppedText(a);
    if (dropped) {
      if (!opts.allAttempts) throw new CliError(`attempt ${a.attempt} of ${label}: ${dropped}`);
      io.out(`${prefix}(${dropped})\n`);
      continue;
    }
    if (a.state === 'Waiting') {
      if (!opts.allAttempts)
        throw new CliError(
          `container "${a.container}" in pod "${a.pod}" is waiting to start: ${a.reason ?? 'ContainerCreating'}`,
        );
      continue;
    }
    const q = new URLSearchParams(opts.timestamps ? { timestamps: 'true' } : {});
    const res = await client.stream(`${attemptsPath(ns, t.resource, t.name)}/${a.attempt}/log${q.size ? `?${q}` : ''}`);
    if (tail === undefined) await pipeLines(res, prefix, io);
    else {
      let text = '';
      res.setEncoding('utf8');
      for await (const chunk of res as AsyncIterable<string>) text += chunk;
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      for (const l of Number(tail) === 0 ? [] : lines.slice(-Number(tail))) io.out(`${prefix}${l}\n`);
    }
  }
}
