// The spinner `wait` shows on a terminal (ora); a no-op elsewhere.

export interface Spinner {
  stop(): void;
}

/** Loads ora only for a terminal that will show it. */
export async function startSpinner(text: string, enabled: boolean, stream: NodeJS.WriteStream = process.stderr): Promise<Spinner> {
  if (!enabled) return { stop: () => undefined };
  const { default: ora } = await import('ora');
  const s = ora({ text, stream, discardStdin: false }).start();
  return { stop: () => s.stop() };
}
