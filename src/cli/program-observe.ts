// The verbs that look at what happened and at what the server serves, registered in the program
// (program.ts) after `logs`: jobctl's `attempts` and `timeline`, kubectl's `events` and
// `api-resources`, `explain`.
import type { Command } from 'commander';
import type { Io } from './io.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addObservingVerbs(program: Command, io: Io): void {
  program
    .command('attempts')
    .description('Every attempt of a job or pod: how each ended, what it counted against, and when the next comes')
    .argument('<target...>', 'job/NAME or pod/NAME')
    .option('-o, --output <format>', 'json or yaml')
    .option('-w, --watch', 'print the attempts as they change')
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runAttempts } = await import('./attempts.js');
      await runAttempts(
        args,
        { namespace: o.namespace, noColor: o.color === false, output: o.output, watch: o.watch },
        io,
      );
    });

  program
    .command('timeline')
    .description(
      "Draw a job's attempts on a time axis: runs, back-off gaps, deadline and finish (-o svg: as a picture)",
    )
    .argument('<target...>', 'job/NAME or pod/NAME')
    .option('-o, --output <format>', 'svg: a standalone SVG')
    .option('--width <columns>', "the text's width (default: the terminal's, else COLUMNS or 80)")
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runTimeline } = await import('./timeline.js');
      await runTimeline(
        args,
        { namespace: o.namespace, noColor: o.color === false, output: o.output, width: o.width },
        io,
      );
    });

  program
    .command('events')
    .description('List events, oldest first (--for TYPE/NAME: those of one object)')
    .option('--for <object>', 'only the events of this object, as TYPE/NAME (job/NAME, pod/NAME)')
    .option('--types <types>', 'only events of these types: Normal, Warning (comma-separated, repeatable)', collect, [])
    .option('-w, --watch', 'after listing the events, watch for more')
    .option('-A, --all-namespaces', 'in every namespace')
    .option('--no-headers', "don't print headers")
    .option('-o, --output <format>', 'json or yaml')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runEvents } = await import('./events.js');
      await runEvents(
        {
          namespace: o.namespace,
          allNamespaces: o.allNamespaces,
          for: o.for,
          types: o.types,
          watch: o.watch,
          noHeaders: o.headers === false,
          output: o.output,
        },
        io,
      );
    });

  program
    .command('api-resources')
    .description('Print the API resources the server serves (its discovery), as kubectl does')
    .argument('[args...]')
    .option('-o, --output <format>', 'wide or name')
    .option('--no-headers', "don't print headers")
    .option('--api-group <group>', 'only the resources of this API group ("" for the core group)')
    .option('--namespaced [bool]', 'true: only namespaced resources; false: only cluster-scoped ones')
    .option('--verbs <verbs>', 'only resources that support these verbs (comma-separated, repeatable)', collect, [])
    .option('--categories <names>', 'only resources in these categories (comma-separated, repeatable)', collect, [])
    .option('--sort-by <field>', 'name or kind (default: API group, then name)')
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runApiResources } = await import('./api-resources.js');
      await runApiResources(
        args,
        {
          output: o.output,
          noHeaders: o.headers === false,
          apiGroup: o.apiGroup,
          namespaced: o.namespaced === undefined ? undefined : String(o.namespaced),
          verbs: o.verbs,
          categories: o.categories,
          sortBy: o.sortBy,
        },
        io,
      );
    });

  program
    .command('explain')
    .description("Describe a resource's fields from the server's OpenAPI schemas: jobctl explain jobs.spec.template")
    .argument('[type...]', 'TYPE[.FIELD...], such as jobs, jobs.spec, pods.spec.containers')
    .option('--recursive [bool]', 'print the names of all the fields, nested, without their descriptions')
    .option('--api-version <group/version>', 'the API version of the resource to explain')
    .option('-o, --output <format>', 'plaintext')
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runExplain, recursiveFlag } = await import('./explain.js');
      const recursive = recursiveFlag(o.recursive, (program as Command & { rawArgs: string[] }).rawArgs, args);
      await runExplain(args, { recursive, apiVersion: o.apiVersion, output: o.output }, io);
    });

  program
    .command('completion')
    .description('Print the shell code that completes jobctl commands: source <(jobctl completion bash)')
    .argument('[shell...]', 'bash, zsh or fish')
    .action(async (args: string[]) => {
      const { runCompletion } = await import('./completion.js');
      runCompletion(args, io);
    });
}
