// The commander program: every verb registered here, each action only normalising flags
// before calling the verb's typed function.
import { Command, Option } from 'commander';
import { parseDryRun, parseOutput, runApply } from './apply.js';
import { runCreateJob } from './create-job.js';
import type { Io } from './io.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function buildProgram(io: Io): Command {
  const program = new Command('jobctl')
    .description('kubectl for Kubernetes Jobs, without a cluster: Jobs run as containers on the local Docker engine')
    .version(process.env.npm_package_version ?? '0.1.0', '--version')
    .option('-n, --namespace <namespace>', 'the namespace scope for this request')
    .showHelpAfterError(false)
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();

  const ns = (cmd: Command): string | undefined => cmd.optsWithGlobals().namespace as string | undefined;

  program
    .command('apply')
    .description('Apply a configuration to a resource by file name or stdin')
    .option('-f, --filename <path>', 'file, directory or - for stdin (repeatable)', collect, [])
    .option('-R, --recursive', 'process the directory used in -f recursively')
    .option('--dry-run [strategy]', 'none, client or server')
    .option('-o, --output <format>', 'yaml, json or name')
    .action(async (opts, cmd: Command) => {
      await runApply(
        { files: opts.filename, recursive: Boolean(opts.recursive), dryRun: parseDryRun(opts.dryRun), output: parseOutput(opts.output), namespace: ns(cmd), verb: 'apply' },
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
      await runApply(
        { files: opts.filename, recursive: Boolean(opts.recursive), dryRun: parseDryRun(opts.dryRun), output: parseOutput(opts.output), namespace: ns(cmd), verb: 'create' },
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
      await runCreateJob(
        { name, image: opts.image, from: opts.from, command, dryRun: parseDryRun(opts.dryRun), output: parseOutput(opts.output), namespace: ns(cmd) },
        io,
      );
    });

  return program;
}
