// The commander program: every verb registered here, each action only normalising flags
// before calling the verb's typed function. A verb's module is initialised only when that verb
// runs, so a command pays at start-up only for its own code (the CLI's start is most of
// `apply` + `wait`).
import { Command, CommanderError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { homePaths, jobctlHome } from '../api/home.js';
import type { Io } from './io.js';
import { addDebuggingVerbs } from './program-debug.js';
import { addMetadataVerbs } from './program-metadata.js';
import { addObservingVerbs } from './program-observe.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `jobctl server` runs the server in this process; the entry point supplies it (loaded lazily). */
export type ServerRunner = () => Promise<void>;

export function buildProgram(io: Io, runServer: ServerRunner): Command {
  const program = new Command('jobctl')
    .description('kubectl for Kubernetes Jobs, without a cluster: Jobs run as containers on the local Docker engine')
    .version(process.env.npm_package_version ?? '0.1.0', '--version')
    .option('-n, --namespace <namespace>', 'the namespace scope for this request')
    .option('--no-color', 'plain output, even on a terminal')
    .option('--context <name>', 'the kubeconfig context to use (a cluster); "jobctl" is the local server')
    .option('--kubeconfig <file>', 'the kubeconfig file for --context (else KUBECONFIG, else ~/.kube/config)')
    .option('--cluster <name>', 'the kubeconfig cluster to use')
    .option('--user <name>', 'the kubeconfig user to use')
    .option('--server <address>', "the cluster's API server (https://HOST:PORT)")
    .option('--token <token>', 'a bearer token for the cluster')
    .option('--certificate-authority <file>', "the CA file of the cluster's certificate")
    .option('--insecure-skip-tls-verify', "do not check the cluster's certificate (insecure)")
    .option('--tls-server-name <name>', 'the name to check the certificate against (SNI)')
    .option('--as <user>', 'impersonate this user')
    .option('--as-group <group>', 'impersonate this group (repeatable)', collect, [])
    .option('--request-timeout <duration>', 'how long to wait for an answer (0: no limit)')
    .showHelpAfterError(false)
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();

  const ns = (cmd: Command): string | undefined => cmd.optsWithGlobals().namespace as string | undefined;

  // Where the verb's requests go: the local server, or a cluster chosen through a kubeconfig.
  // `config`, `kubeconfig` and `server` are about jobctl itself and never go to a cluster.
  program.hook('preAction', async (_program, action) => {
    const top = action.parent === program ? action : action.parent;
    if (['config', 'kubeconfig', 'server'].includes(top?.name() ?? '')) return;
    const o = action.optsWithGlobals();
    // The common case, nothing chosen, costs one stat: the kubeconfig reader (and yaml) load only
    // when a cluster may be meant.
    const chosen = o.context || o.kubeconfig || o.server || o.cluster || io.env.JOBCTL_CONTEXT;
    if (!chosen && !existsSync(homePaths(jobctlHome(io.env)).context)) return;
    const { selectTarget } = await import('./target.js');
    io.target = selectTarget(io, o);
    if (io.target?.namespace && o.namespace === undefined) program.setOptionValue('namespace', io.target.namespace);
  });

  program
    .command('apply')
    .description('Apply a configuration to a resource by file name or stdin')
    .option('-f, --filename <path>', 'file, directory or - for stdin (repeatable)', collect, [])
    .option('-R, --recursive', 'process the directory used in -f recursively')
    .option('--dry-run [strategy]', 'none, client or server')
    .option('-o, --output <format>', 'yaml, json or name')
    .action(async (opts, cmd: Command) => {
      const { parseDryRun, parseOutput, runApply } = await import('./apply.js');
      await runApply(
        {
          files: opts.filename,
          recursive: Boolean(opts.recursive),
          dryRun: parseDryRun(opts.dryRun),
          output: parseOutput(opts.output),
          namespace: ns(cmd),
          verb: 'apply',
        },
        io,
      );
    });

  const create = program
    .command('create')
    .description('Create a resource from a file or from stdin, or a Job from an image')
    .option('-f, --filename <path>', 'file, directory or - for stdin (repeatable)', collect, [])
    .option('-R, --recursive', 'process the directory used in -f recursively')
    .option('--dry-run [strategy]', 'none, client or server')
    .option('-o, --output <format>', 'yaml, json or name')
    .action(async (opts, cmd: Command) => {
      const { parseDryRun, parseOutput, runApply } = await import('./apply.js');
      await runApply(
        {
          files: opts.filename,
          recursive: Boolean(opts.recursive),
          dryRun: parseDryRun(opts.dryRun),
          output: parseOutput(opts.output),
          namespace: ns(cmd),
          verb: 'create',
        },
        io,
      );
    });

  create
    .command('job')
    .description('Create a Job with the specified name')
    .argument('<name>')
    .argument('[command...]', 'the command after --')
    .addOption(new Option('--image <image>', 'image name to run'))
    .option('--from <resource>', 'the name of the resource to create a Job from (unsupported)')
    .option('--dry-run [strategy]', 'none, client or server')
    .option('-o, --output <format>', 'yaml, json or name')
    .action(async (name: string, command: string[], _opts, cmd: Command) => {
      // The parent `create` shares --dry-run and -o; commander hands them to whichever parses first.
      const opts = cmd.optsWithGlobals();
      const { parseDryRun, parseOutput } = await import('./apply.js');
      const { runCreateJob } = await import('./create-job.js');
      await runCreateJob(
        {
          name,
          image: opts.image,
          from: opts.from,
          command,
          dryRun: parseDryRun(opts.dryRun),
          output: parseOutput(opts.output),
          namespace: ns(cmd),
        },
        io,
      );
    });

  create
    .command('namespace')
    .alias('ns')
    .description('Create a namespace with the specified name')
    .argument('<name>')
    .option('--dry-run [strategy]', 'none, client or server')
    .option('-o, --output <format>', 'yaml, json or name')
    .action(async (name: string, _opts, cmd: Command) => {
      const opts = cmd.optsWithGlobals();
      const { parseDryRun, parseOutput } = await import('./apply.js');
      const { runCreateNamespace } = await import('./create-job.js');
      await runCreateNamespace({ name, dryRun: parseDryRun(opts.dryRun), output: parseOutput(opts.output) }, io);
    });

  const config = program.command('config').description('Choose between the local server and kubeconfig contexts');
  config
    .command('view')
    .description('Display the merged kubeconfig settings, or a file given by --kubeconfig')
    .option('--minify', 'only the current context, its cluster and its user')
    .option('--raw', 'show certificates, keys, tokens and passwords')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .action(async (_o, cmd: Command) => {
      const { runConfigView } = await import('./config.js');
      await runConfigView(cmd.optsWithGlobals(), io);
    });
  config
    .command('use-context')
    .description('Make a kubeconfig context the target of every command ("jobctl": the local server)')
    .argument('<name>')
    .action(async (name: string, _o, cmd: Command) => {
      const { runUseContext } = await import('./config.js');
      runUseContext(name, cmd.optsWithGlobals(), io);
    });
  config
    .command('current-context')
    .description('Display the context commands use')
    .action(async (_o, cmd: Command) => {
      const { runCurrentContext } = await import('./config.js');
      runCurrentContext(cmd.optsWithGlobals(), io);
    });
  config
    .command('get-contexts')
    .description('List the local server and the kubeconfig contexts')
    .action(async (_o, cmd: Command) => {
      const { runGetContexts } = await import('./config.js');
      runGetContexts(cmd.optsWithGlobals(), io);
    });

  program
    .command('get')
    .description('Display one or many resources: jobs, pods, events, configmaps, secrets, namespaces, nodes')
    .argument('<resource...>', 'TYPE [NAME...] or TYPE/NAME')
    .option(
      '-o, --output <format>',
      'wide, json, yaml, name, jsonpath=TEMPLATE, custom-columns=SPEC, custom-columns-file=FILE',
    )
    .option('-l, --selector <selector>', 'label selector, e.g. app=x,tier!=web')
    .option(
      '-L, --label-columns <keys>',
      'a column for each of these labels (comma-separated, repeatable)',
      collect,
      [],
    )
    .option('--sort-by <field>', 'sort the list by this JSONPath field, e.g. .status.startTime')
    .option('--field-selector <selector>', 'field selector, e.g. status.phase=Running,spec.nodeName=vm')
    .option('-A, --all-namespaces', 'list across all namespaces')
    .option('-w, --watch', 'after listing, watch for changes')
    .option('--watch-only', 'watch for changes without listing first')
    .option('--output-watch-events', 'prefix watch rows with ADDED, MODIFIED or DELETED')
    .option('--no-headers', 'omit the header row')
    .option('--show-labels', 'show labels as the last column')
    .option('--show-managed-fields', 'keep metadata.managedFields in -o json|yaml')
    .option('--chunk-size <n>', 'list in pages of this many objects (0: one request)', '500')
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runGet } = await import('./get.js');
      await runGet(
        args,
        {
          namespace: o.namespace,
          allNamespaces: o.allNamespaces,
          noColor: o.color === false,
          output: o.output,
          selector: o.selector,
          fieldSelector: o.fieldSelector,
          watch: Boolean(o.watch || o.watchOnly),
          watchOnly: o.watchOnly,
          outputWatchEvents: o.outputWatchEvents,
          noHeaders: o.headers === false,
          showLabels: o.showLabels,
          showManagedFields: o.showManagedFields,
          labelColumns: o.labelColumns,
          sortBy: o.sortBy,
          chunkSize: o.chunkSize,
        },
        io,
      );
    });

  program
    .command('describe')
    .description('Show details of a job or pod, with its events')
    .argument('<resource...>', 'job/NAME, pod/NAME, or TYPE [NAME...]')
    .option('-l, --selector <selector>', 'label selector')
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runDescribe } = await import('./describe.js');
      await runDescribe(args, { namespace: o.namespace, selector: o.selector }, io);
    });

  program
    .command('logs')
    .description('Print the logs of a container in a pod or job')
    .argument('[target]', 'job/NAME, pod/NAME or POD')
    .option('-c, --container <name>', 'the container')
    .option('--all-containers', 'every container of the pod')
    .option('--all-pods', 'every pod of the job')
    .option('--prefix', 'prefix each line with [pod/NAME/CONTAINER]')
    .option('-f, --follow', 'stream the logs')
    .option('-p, --previous', 'the previous terminated run of the container')
    .option('--tail <lines>', 'lines of recent log to show (-1: all)')
    .option('--timestamps', 'include timestamps')
    .option('--since <duration>', 'only lines newer than this, like 5s, 2m or 3h')
    .option('--since-time <time>', 'only lines written at or after this time (RFC 3339)')
    .option('--limit-bytes <n>', 'at most this many bytes of log')
    .option('-l, --selector <selector>', 'label selector')
    .option('--max-log-requests <n>', 'how many logs may be followed at once (-f with a selector)', '5')
    .option('--ignore-errors', "a stream's error is printed, the others go on")
    .option('--pod-running-timeout <duration>', 'how long to wait for a pod', '20s')
    .option(
      '--attempt <n>',
      'the output of attempt N (as `jobctl attempts` numbers them), kept until the job is deleted',
    )
    .option('--all-attempts', "every attempt's output, each line prefixed with its pod, container, index and attempt")
    .action(async (target: string | undefined, _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      if (!target && !o.selector) throw new CommanderError(1, 'jobctl.usage', 'error: expected POD or TYPE/NAME');
      const { runLogs } = await import('./logs.js');
      await runLogs(target ?? '', { ...o, namespace: o.namespace }, io);
    });

  addObservingVerbs(program, io);
  addDebuggingVerbs(program, io);
  addMetadataVerbs(program, io);

  program
    .command('wait')
    .description('Wait for a condition on a job (complete, failed, ...), for it to finish either way, or its deletion')
    .argument('<resource...>', 'job/NAME')
    .option(
      '--for <condition>',
      'condition=NAME[=VALUE], delete, or finished (Complete, or Failed: exit 1); repeatable: any of them',
      collect,
      [],
    )
    .option('--timeout <duration>', 'give up after this long (0: check once; negative: a week)', '30s')
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runWait } = await import('./wait.js');
      await runWait(args, { namespace: o.namespace, noColor: o.color === false, for: o.for, timeout: o.timeout }, io);
    });

  program
    .command('delete')
    .description('Delete jobs, pods, configmaps or secrets by name, file, selector or --all')
    .argument('[resource...]', 'TYPE NAME... or TYPE/NAME')
    .option('-f, --filename <path>', 'file, directory or - (repeatable)', collect, [])
    .option('--all', 'every object of the type in the namespace')
    .option('-l, --selector <selector>', 'label selector')
    .option('--cascade <policy>', 'background, foreground or orphan', 'background')
    .option('--grace-period <seconds>', "seconds given to stop gracefully (-1: the pod's own)")
    .option('--force', 'immediate deletion')
    .option('--wait <bool>', 'wait until the objects are gone', 'true')
    .option('--ignore-not-found', 'treat not found as success')
    .option('-o, --output <format>', 'name')
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runDelete } = await import('./delete.js');
      await runDelete(args, { ...o, filename: o.filename, namespace: o.namespace, wait: o.wait !== 'false' }, io);
    });

  program
    .command('patch')
    .description('Change fields of a job (suspend, parallelism, activeDeadlineSeconds, ...)')
    .argument('<resource...>', 'job NAME or job/NAME')
    .option('-p, --patch <json>', 'the patch')
    .option('--type <type>', 'json, merge or strategic (strategic is a merge for jobs)', 'strategic')
    .option('--dry-run [strategy]', 'none or server')
    .option('-o, --output <format>', 'yaml, json or name')
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { parseDryRun, parseOutput } = await import('./apply.js');
      const { runPatch } = await import('./patch.js');
      await runPatch(
        args,
        {
          namespace: o.namespace,
          patch: o.patch,
          type: o.type,
          output: parseOutput(o.output),
          dryRun: parseDryRun(o.dryRun),
        },
        io,
      );
    });

  program
    .command('version')
    .description("Print the client's and the server's versions, and the container engine the server uses")
    .option('-o, --output <format>', 'json or yaml')
    .option('--client', "only the client's version (no server needed)")
    .action(async (o: { output?: string; client?: boolean }) =>
      (await import('./version.js')).runVersion(process.env.npm_package_version ?? '0.1.0', o, io),
    );

  program
    .command('kubeconfig')
    .description(
      'Print a kubeconfig for the local server (context "jobctl"), starting it if needed; --merge writes it into the file kubectl uses',
    )
    .option('--merge', "add or update the jobctl entries in KUBECONFIG's first file (else ~/.kube/config)")
    .action(async (o: { merge?: boolean }) => (await import('./kubeconfig.js')).runKubeconfig(o, io));

  const server = program
    .command('server')
    .description('Run the jobctl server in the foreground (CLI commands start it on demand)')
    .action(async () => runServer());
  server
    .command('start')
    .description('Start the server of this JOBCTL_HOME in the background (if none runs) and say where it listens')
    .action(async () => (await import('./server-control.js')).runServerStart(io));
  server
    .command('stop')
    .description(
      'Stop the server of this JOBCTL_HOME; running containers keep running and are adopted on the next start',
    )
    .action(async () => (await import('./server-control.js')).runServerStop(io));

  return program;
}
