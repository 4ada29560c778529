// The spinner `wait` shows on a terminal (ora); a no-op elsewhere.
import ora from 'ora';

export interface Spinner {
  stop(): void;
}

export function startSpinner(text: string, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Spinner {
  if (!enabled) return { stop: () => undefined };
  const s = ora({ text, stream, discardStdin: false }).start();
  return { stop: () => s.stop() };
}
