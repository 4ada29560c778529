// The verbs that change objects in place, registered in the program (program.ts): kubectl's
// `label`, `annotate`, `taint`, `replace` and `edit`; and `diff`, what `apply` would change.
import type { Command } from 'commander';
import type { Io } from './io.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function metadataVerb(program: Command, io: Io, verb: 'label' | 'annotate', description: string): void {
  const noun = verb === 'label' ? 'labels' : 'annotations';
  program
    .command(verb)
    .description(description)
    .argument('<args...>', 'TYPE NAME... or TYPE/NAME..., then KEY=VALUE... and KEY-...')
    .option('--overwrite', `allow ${noun} to be overwritten`)
    .option('-l, --selector <selector>', 'selector (label query) to filter on')
    .option('--field-selector <selector>', 'selector (field query) to filter on')
    .option('--all', 'select all resources of the type in the namespace')
    .option('--dry-run [strategy]', 'none, client or server')
    .option('--list', `display the ${noun} of the resource`)
    .option('-o, --output <format>', 'yaml, json or name')
    .option('--resource-version <version>', 'succeed only if this is the current resource version')
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runLabel, runAnnotate } = await import('./label.js');
      const { parseOutput } = await import('./apply.js');
      await (verb === 'label' ? runLabel : runAnnotate)(
        args,
        {
          namespace: o.namespace,
          overwrite: o.overwrite,
          selector: o.selector,
          fieldSelector: o.fieldSelector,
          all: o.all,
          dryRun: o.dryRun,
          list: o.list,
          output: parseOutput(o.output),
          resourceVersion: o.resourceVersion,
        },
        io,
      );
    });
}

export function addMetadataVerbs(program: Command, io: Io): void {
  metadataVerb(
    program,
    io,
    'label',
    'Add, change (--overwrite) or remove (key-) labels of an object: a node, to choose which pods land there',
  );
  metadataVerb(program, io, 'annotate', 'Add, change (--overwrite) or remove (key-) annotations of an object');

  program
    .command('taint')
    .description('Add (key=value:Effect) or remove (key- or key:Effect-) taints of the node: which pods it refuses')
    .argument('<args...>', 'node NAME key=value:Effect... key-...')
    .option('--overwrite', 'change a taint that is set')
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      await (await import('./taint.js')).runTaint(args, { overwrite: o.overwrite }, io);
    });

  program
    .command('diff')
    .description('Diff the live version against a would-be applied version (exit 1: they differ)')
    .option('-f, --filename <path>', 'file, directory or - for stdin (repeatable)', collect, [])
    .option('-R, --recursive', 'process the directory used in -f recursively')
    .option('--server-side', "compare with server-side apply's result")
    .option('--force-conflicts', 'with --server-side, take over fields other managers own')
    .option('--field-manager <name>', 'the manager the dry run applies as')
    .option('--show-managed-fields', 'include metadata.managedFields in the diff')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runDiff } = await import('./diff.js');
      await runDiff(
        {
          files: o.filename,
          recursive: Boolean(o.recursive),
          namespace: o.namespace,
          serverSide: Boolean(o.serverSide),
          forceConflicts: Boolean(o.forceConflicts),
          fieldManager: o.fieldManager,
          showManagedFields: Boolean(o.showManagedFields),
        },
        io,
      );
    });

  program
    .command('replace')
    .description('Replace a resource by file name or stdin (--force: delete it and create it again)')
    .option('-f, --filename <path>', 'file, directory or - for stdin (repeatable)', collect, [])
    .option('-R, --recursive', 'process the directory used in -f recursively')
    .option('--force', 'delete the resource and create it again')
    .option('--timeout <duration>', 'with --force, how long to wait for the deletion')
    .option('--dry-run [strategy]', 'none, client or server')
    .option('-o, --output <format>', 'yaml, json or name')
    .action(async (_o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { parseDryRun, parseOutput } = await import('./apply.js');
      const { parseDuration } = await import('../api/index.js');
      const { runReplace } = await import('./replace.js');
      await runReplace(
        {
          files: o.filename,
          recursive: Boolean(o.recursive),
          force: Boolean(o.force),
          dryRun: parseDryRun(o.dryRun),
          output: parseOutput(o.output),
          namespace: o.namespace,
          timeoutMs: o.timeout ? parseDuration(o.timeout) : undefined,
        },
        io,
      );
    });

  program
    .command('edit')
    .description('Edit a resource in your editor (KUBE_EDITOR, EDITOR, else vi) and save it to the server')
    .argument('<args...>', 'TYPE NAME... or TYPE/NAME...')
    .option('-o, --output <format>', 'the format to edit in: yaml (default) or json')
    .action(async (args: string[], _o, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      const { runEdit } = await import('./edit.js');
      await runEdit(args, { namespace: o.namespace, output: o.output }, io);
    });
}
