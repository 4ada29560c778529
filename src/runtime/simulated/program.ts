// What a simulated container "runs": how long, what it prints, how it exits. Read from the pod's
// annotations when present, else from the container's command (a small subset of sh). Pure.
//
// Annotations (on the pod template; every container of the pod follows them):
//   sim.jobctl.io/duration   `300ms`, `2s`, or a range `50ms-500ms` (uniform, seeded per container)
//   sim.jobctl.io/exit-code  an integer (default 0)
//   sim.jobctl.io/output     text printed on stdout (`\n` separates lines)
// Commands understood without annotations: `true`, `false`, `sleep N`, `echo ...`, `exit N`, and
// `sh -c` / `bash -c` scripts of those joined by `;`, `&&` or newlines, with `$VAR` / `${VAR}`
// expanded from the container's environment. Anything else runs for no time and exits 0.

export const ANNOTATION_DURATION = 'sim.jobctl.io/duration';
export const ANNOTATION_EXIT_CODE = 'sim.jobctl.io/exit-code';
export const ANNOTATION_OUTPUT = 'sim.jobctl.io/output';

export interface Program {
  durationMs: number;
  exitCode: number;
  /** Lines printed, each with the offset (ms from the start) it is printed at. */
  output: { atMs: number; stream: 'stdout' | 'stderr'; text: string }[];
}

function parseDurationMs(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

/** A number in [0, 1) from a string: the same container name always draws the same value. */
export function seededFraction(seed: string): number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  h ^= h >>> 15;
  h = Math.imul(h, 2246822507);
  h ^= h >>> 13;
  return (h >>> 0) / 4294967296;
}

function expand(word: string, env: Map<string, string>): string {
  return word.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (_m, a: string | undefined, b: string | undefined) => env.get(a ?? b ?? '') ?? '',
  );
}

/** Splits a shell word list, honouring single and double quotes. */
function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

function runScript(script: string, env: Map<string, string>, program: Program): void {
  for (const statement of script.split(/;|&&|\n/)) {
    const argv = words(statement.trim()).map((w) => expand(w, env));
    if (!argv.length) continue;
    if (!runCommand(argv, env, program)) return;
  }
}

/** Runs one command; false when the program has ended (exit, or a failing command). */
function runCommand(argv: string[], env: Map<string, string>, program: Program): boolean {
  const [cmd, ...args] = argv;
  const base = cmd.split('/').pop();
  switch (base) {
    case 'sh':
    case 'bash':
      if (args[0] === '-c' && args[1] !== undefined) runScript(args[1], env, program);
      return false;
    case 'true':
      return true;
    case 'false':
      program.exitCode = 1;
      return false;
    case 'exit':
      program.exitCode = Number(args[0] ?? 0) || 0;
      return false;
    case 'sleep':
      program.durationMs += parseDurationMs(args[0] ?? '0') ?? 0;
      return true;
    case 'echo':
      program.output.push({ atMs: program.durationMs, stream: 'stdout', text: args.join(' ') });
      return true;
    default:
      return true;
  }
}

export function programFor(
  name: string,
  argv: string[],
  env: Map<string, string>,
  annotations: Record<string, string>,
): Program {
  const program: Program = { durationMs: 0, exitCode: 0, output: [] };
  const duration = annotations[ANNOTATION_DURATION];
  const exitCode = annotations[ANNOTATION_EXIT_CODE];
  const output = annotations[ANNOTATION_OUTPUT];
  if (duration === undefined && exitCode === undefined && output === undefined) {
    if (argv.length) runCommand(argv, env, program);
    return program;
  }
  if (duration !== undefined) {
    const [lo, hi] = duration.split('-').map(parseDurationMs);
    if (lo !== undefined) program.durationMs = hi === undefined ? lo : lo + (hi - lo) * seededFraction(name);
  }
  program.exitCode = Number(exitCode ?? 0) || 0;
  if (output) for (const text of output.split('\n')) program.output.push({ atMs: 0, stream: 'stdout', text });
  return program;
}
