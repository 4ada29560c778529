// Shell completion, as kubectl's works: `jobctl completion bash|zsh|fish` prints a script that
// asks `jobctl __complete WORDS... CURRENT` for candidates, one per line, then `:DIRECTIVE`
// (cobra's protocol: 4 means no file names). Verbs and their flags come from the program itself;
// resource types from jobctl's resource table; names (jobs, pods, namespaces, a pod's containers)
// from the server, when one is running (completion never starts one).
import type { Command, Option } from 'commander';
import { RESOURCE_TABLE, type ApiObject, type Pod } from '../api/index.js';
import { apiPath, connectIfRunning } from './context.js';
import { CliError, type Io } from './io.js';

const NO_FILES = 4;
const FILES = 0;

/** Verbs whose first argument is a pod, or a Job standing for its pod (logs, exec, ...). */
const POD_VERBS = new Set(['logs', 'exec', 'attach', 'attempts', 'timeline', 'cp']);
/** Verbs whose arguments are TYPE then NAMEs, or TYPE/NAME. */
const TYPED_VERBS = new Set(['get', 'describe', 'delete', 'label', 'annotate', 'edit', 'wait', 'patch', 'events']);
/** The program's flags that take a value as the next word. */
const GLOBAL_VALUE_FLAGS = new Set([
  '-n',
  '--namespace',
  '--context',
  '--kubeconfig',
  '--cluster',
  '--user',
  '--server',
  '--token',
  '--certificate-authority',
  '--tls-server-name',
  '--as',
  '--as-group',
  '--request-timeout',
]);
const OUTPUTS = ['json', 'yaml', 'name', 'wide', 'jsonpath=', 'custom-columns=', 'go-template='];

const typeWords = (): string[] => [...new Set(RESOURCE_TABLE.flatMap((r) => [r.plural, r.singular, ...r.shortNames]))];

function flagsOf(cmd: Command): Option[] {
  const own = cmd.options as readonly Option[];
  const parent = cmd.parent ? (cmd.parent.options as readonly Option[]) : [];
  return [...own, ...parent];
}

/** The names of `resource` in `ns` from the running server, if one runs. */
async function names(io: Io, resource: string, ns: string | undefined): Promise<string[]> {
  const client = await connectIfRunning(io).catch(() => undefined);
  if (!client) return [];
  try {
    const list = await client.listAll<ApiObject>(apiPath(resource, ns));
    return list.items.map((o) => o.metadata.name ?? '');
  } catch {
    return [];
  }
}

/** The candidates for the last of `words` (what is being typed), and cobra's directive. */
export async function complete(
  program: Command,
  words: string[],
  io: Io,
): Promise<{ candidates: string[]; directive: number }> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  // The verb: the first word that is neither a flag nor a global flag's value.
  const verbName = before.find((w, i) => !w.startsWith('-') && !GLOBAL_VALUE_FLAGS.has(before[i - 1] ?? ''));
  const verb = program.commands.find((c) => c.name() === verbName || c.aliases().includes(verbName ?? ''));
  const done = (candidates: string[], directive = NO_FILES) => ({
    candidates: candidates.filter((c) => c.startsWith(current)),
    directive,
  });
  const nsAt = before.findIndex((w) => w === '-n' || w === '--namespace');
  const ns = nsAt >= 0 ? before[nsAt + 1] : (/^--namespace=(.+)$/.exec(before.join(' '))?.[1] ?? 'default');
  const prev = before.at(-1) ?? '';
  if (prev === '-n' || prev === '--namespace') return done(await names(io, 'namespaces', undefined));
  if (!verb) {
    if (current.startsWith('-')) return done(flagsOf(program).flatMap((o) => [o.long ?? '', o.short ?? '']));
    // In name order, as cobra sorts its commands.
    const verbs = program.commands.map((c) => c.name()).filter((n) => !n.startsWith('_'));
    return done(verbs.sort());
  }
  // A sub-verb (`top pod`, `config use-context`) completes as its own command.
  const sub = verb.commands.length ? verb.commands.find((c) => before.includes(c.name())) : undefined;
  const cmd = sub ?? verb;
  if (verb.commands.length && !sub && !current.startsWith('-')) return done(verb.commands.map((c) => c.name()));
  // The value of a flag.
  if (prev === '-o' || prev === '--output') return done(OUTPUTS);
  if (prev === '-f' || prev === '--filename') return done([], FILES);
  if (prev === '-c' || prev === '--container') {
    const target = before.slice(before.indexOf(verbName!) + 1).find((w) => !w.startsWith('-') && w !== prev);
    return done(await containersOf(io, target, ns));
  }
  if (current.startsWith('-')) return done(flagsOf(cmd).flatMap((o) => [o.long ?? '', o.short ?? '']));
  const positional = before
    .slice(before.indexOf(verbName!) + 1 + (sub ? 1 : 0))
    .filter((w, i, all) => !w.startsWith('-') && !/^-[a-zA-Z]$|^--[a-z-]+$/.test(all[i - 1] ?? ''));
  if (sub?.name() === 'node') return done(positional.length ? [] : await names(io, 'nodes', undefined));
  if (POD_VERBS.has(verb.name()) || sub?.name() === 'pod') {
    if (positional.length) return done([], FILES);
    if (current.startsWith('job/')) return done((await names(io, 'jobs', ns)).map((n) => `job/${n}`));
    if (current.startsWith('pod/')) return done((await names(io, 'pods', ns)).map((n) => `pod/${n}`));
    const pods = await names(io, 'pods', ns);
    if (sub) return done(pods);
    return done(
      verb.name() === 'cp' ? pods.map((p) => `${p}:`) : [...pods, 'job/', 'pod/'],
      verb.name() === 'cp' ? FILES : NO_FILES,
    );
  }
  if (TYPED_VERBS.has(verb.name())) {
    const slash = current.indexOf('/');
    if (slash > 0) {
      const type = RESOURCE_TABLE.find((r) =>
        [r.plural, r.singular, ...r.shortNames].includes(current.slice(0, slash)),
      );
      if (!type) return done([]);
      return done(
        (await names(io, type.plural, type.namespaced ? ns : undefined)).map((n) => `${current.slice(0, slash)}/${n}`),
      );
    }
    if (!positional.length) return done(typeWords());
    const type = RESOURCE_TABLE.find((r) => [r.plural, r.singular, ...r.shortNames].includes(positional[0]));
    return done(type ? await names(io, type.plural, type.namespaced ? ns : undefined) : []);
  }
  return done([], FILES);
}

async function containersOf(io: Io, target: string | undefined, ns: string): Promise<string[]> {
  if (!target) return [];
  const client = await connectIfRunning(io).catch(() => undefined);
  if (!client) return [];
  const [kind, name] = target.includes('/') ? target.split('/') : ['pod', target];
  try {
    const path = ['job', 'jobs', 'job.batch'].includes(kind) ? apiPath('jobs', ns, name) : apiPath('pods', ns, name);
    const obj = await client.get<ApiObject & { spec: Pod['spec'] & { template?: { spec: Pod['spec'] } } }>(path);
    const spec = obj.spec.template?.spec ?? obj.spec;
    return [...spec.containers, ...(spec.initContainers ?? [])].map((c) => c.name);
  } catch {
    return [];
  }
}

export async function runComplete(program: Command, words: string[], io: Io): Promise<void> {
  const { candidates, directive } = await complete(program, words.length ? words : [''], io);
  io.out(candidates.map((c) => `${c}\n`).join('') + `:${directive}\n`);
}

const BASH = `# jobctl's bash completion: source <(jobctl completion bash)
_jobctl() {
  local cur=\${COMP_WORDS[COMP_CWORD]} out directive
  out=$(jobctl __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return
  directive=\${out##*:}
  out=\${out%:*}
  local IFS=$'\\n'
  COMPREPLY=($(compgen -W "$out" -- "$cur"))
  if [[ \${#COMPREPLY[@]} -eq 0 && $((directive & 4)) -eq 0 ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
  # A candidate that goes on (job/, a pod's name and colon for cp) takes no space after it.
  if [[ \${#COMPREPLY[@]} -eq 1 && ( \${COMPREPLY[0]} == */ || \${COMPREPLY[0]} == *: ) ]]; then
    compopt -o nospace 2>/dev/null
  fi
}
complete -F _jobctl jobctl
`;

const ZSH = `#compdef jobctl
# jobctl's zsh completion: source <(jobctl completion zsh)
_jobctl() {
  local -a lines candidates
  local directive
  lines=("\${(@f)$(jobctl __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  directive=\${lines[-1]#:}
  candidates=("\${(@)lines[1,-2]}")
  if (( \${#candidates} )); then
    compadd -Q -S '' -- "\${(@)candidates:#*[^/:]}"
    compadd -Q -- "\${(@M)candidates:#*[^/:]}"
  elif (( (directive & 4) == 0 )); then
    _files
  fi
}
compdef _jobctl jobctl
`;

const FISH = `# jobctl's fish completion: jobctl completion fish | source
function __jobctl_complete
    set -l args (commandline -opc)[2..-1] (commandline -ct)
    jobctl __complete $args 2>/dev/null | string match -v -r '^:'
end
complete -c jobctl -f -a '(__jobctl_complete)'
`;

export function runCompletion(args: string[], io: Io): void {
  const scripts: Record<string, string> = { bash: BASH, zsh: ZSH, fish: FISH };
  const usage = "\nSee 'jobctl completion --help' for usage.";
  if (!args.length) throw new CliError(`Shell not specified.${usage}`);
  if (args.length > 1) throw new CliError(`Too many arguments. Expected only the shell type.${usage}`);
  const script = scripts[args[0]];
  if (!script) throw new CliError(`Unsupported shell type "${args[0]}".${usage}`);
  io.out(script);
}
