// The verbs that reach into a running pod, registered in the program (program.ts): kubectl's
// `exec`, `attach`, `cp` and `top`; `port-forward`, refused in words.
import type { Command } from 'commander';
import { CliError, type Io } from './io.js';

/** The arguments before and after `--` (kubectl's ArgsLenAtDash); `after` undefined without one. */
function splitAtDash(program: Command, args: string[]): { before: string[]; after?: string[] } {
  // Set by parse() on the program, untyped in commander's declarations.
  const raw = (program as Command & { rawArgs: string[] }).rawArgs;
  const dash = raw.indexOf('--');
  if (dash < 0) return { before: args };
  const after = raw.slice(dash + 1);
  return { before: args.slice(0, Math.max(0, args.length - after.length)), after };
}

export function addDebuggingVerbs(program: Command, io: Io): void {
  // exec and attach: the same flags, read the same way.
  const streamVerb = (name: string, description: string, usage: string) =>
    program
      .command(name)
      .description(description)
      .usage(usage)
      .argument('[args...]')
      .option('-c, --container <name>', 'container name; if omitted, the first container in the pod is chosen')
      .option('-i, --stdin', 'pass stdin to the container')
      .option('-t, --tty', 'stdin is a TTY')
      .option('-q, --quiet', 'only print output from the remote session')
      .option('--pod-running-timeout <duration>', 'how long to wait until at least one pod is running', '1m0s');
  const streamOptions = (o: Record<string, string | boolean | undefined>) => ({
    namespace: o.namespace as string | undefined,
    container: o.container as string | undefined,
    stdin: Boolean(o.stdin),
    tty: Boolean(o.tty),
    quiet: Boolean(o.quiet),
    podRunningTimeout: o.podRunningTimeout as string | undefined,
  });

  streamVerb(
    'exec',
    'Execute a command in a container',
    '(POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]',
  ).action(async (args: string[], _o, cmd: Command) => {
    const { before, after } = splitAtDash(program, args);
    const { runExec } = await import('./exec.js');
    await runExec(before, after, streamOptions(cmd.optsWithGlobals()), io);
  });

  streamVerb('attach', 'Attach to a running container', '(POD | TYPE/NAME) -c CONTAINER').action(
    async (args: string[], _o, cmd: Command) => {
      const { runAttach } = await import('./exec.js');
      await runAttach(args, streamOptions(cmd.optsWithGlobals()), io);
    },
  );

  program
    .command('cp')
    .description('Copy files and directories to and from containers')
    .usage('<file-spec-src> <file-spec-dest> [-c CONTAINER]')
    .argument('[args...]', '[[NAMESPACE/]POD:]PATH and a local PATH, either way round')
    .option('-c, --container <name>', 'container name; if omitted, the first container in the pod is chosen')
    .option('--no-preserve', "don't keep the files' ownership and permissions in the container")
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runCp } = await import('./cp.js');
      // commander reads --no-preserve as `preserve: false`.
      await runCp(args, { namespace: o.namespace, container: o.container, noPreserve: o.preserve === false }, io);
    });

  program
    .command('port-forward')
    .description("Not served: a pod's network here is its own loopback (says how to reach a port instead)")
    .argument('[args...]')
    .allowUnknownOption()
    .action(() => {
      throw new CliError(
        "jobctl does not port-forward: a pod's network is its own loopback, with no address to forward to; reach a port from inside the pod (jobctl exec POD -- wget -qO- http://127.0.0.1:PORT)",
      );
    });

  const top = program.command('top').description('Display resource (CPU/memory) usage');
  top
    .command('pod')
    .alias('pods')
    .alias('po')
    .description('Display resource (CPU/memory) usage of pods')
    .argument('[name...]')
    .option('-l, --selector <selector>', 'selector (label query) to filter on')
    .option('--field-selector <selector>', 'selector (field query) to filter on')
    .option('--sort-by <field>', 'sort by cpu or memory')
    .option('--containers', 'print usage of containers within a pod')
    .option('-A, --all-namespaces', 'list the pods across all namespaces')
    .option('--no-headers', 'print output without headers')
    .option('--sum', 'print the sum of the resource usage')
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runTopPod } = await import('./top.js');
      await runTopPod(
        args,
        {
          namespace: o.namespace,
          selector: o.selector,
          fieldSelector: o.fieldSelector,
          sortBy: o.sortBy,
          containers: o.containers,
          allNamespaces: o.allNamespaces,
          // commander reads --no-headers as `headers: false`.
          noHeaders: o.headers === false,
          sum: o.sum,
        },
        io,
      );
    });
  top
    .command('node')
    .alias('nodes')
    .alias('no')
    .description('Display resource (CPU/memory) usage of nodes: the machine, when the engine runs on it')
    .argument('[name...]')
    .option('-l, --selector <selector>', 'selector (label query) to filter on')
    .option('--sort-by <field>', 'sort by cpu or memory')
    .option('--no-headers', 'print output without headers')
    .option('--show-capacity', 'shares of the capacity instead of the allocatable of the nodes')
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runTopNode } = await import('./top.js');
      const opts = {
        selector: o.selector,
        sortBy: o.sortBy,
        noHeaders: o.headers === false,
        showCapacity: o.showCapacity,
      };
      await runTopNode(args, opts, io);
    });
}
