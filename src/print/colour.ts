// Colour, in one place. On for terminals; off for pipes, -o formats, NO_COLOR and --no-color.

export interface Palette {
  status(text: string): string;
  warning(text: string): string;
}

const GOOD = new Set(['Complete', 'Completed', 'Succeeded', 'SuccessCriteriaMet']);
const BAD = new Set([
  'Failed',
  'Error',
  'FailureTarget',
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'OOMKilled',
  'DeadlineExceeded',
  'CreateContainerConfigError',
  'CreateContainerError',
  'ContainerCannotRun',
  'StartError',
  'Evicted',
  'ContainerVanished',
]);
const BUSY = new Set(['Running']);
const WAITING = new Set(['Pending', 'ContainerCreating', 'Terminating', 'Suspended', 'PodInitializing']);

const PLAIN: Palette = { status: (t) => t, warning: (t) => t };

/** Loads chalk only when colour is on. */
export async function palette(enabled: boolean): Promise<Palette> {
  if (!enabled) return PLAIN;
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return {
    status(text) {
      if (GOOD.has(text)) return c.green(text);
      if (BAD.has(text) || text.startsWith('Init:Error') || text.startsWith('Init:Crash')) return c.red(text);
      if (BUSY.has(text)) return c.cyan(text);
      if (WAITING.has(text) || text.startsWith('Init:')) return c.yellow(text);
      return text;
    },
    warning: (text) => c.yellow(text),
  };
}

export function colourEnabled(isTTY: boolean, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  return isTTY && !noColorFlag && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}
