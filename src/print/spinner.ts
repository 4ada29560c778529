// The spinner `wait` shows on a terminal (ora); a no-op elsewhere.

export interface Spinner {
  /** Changes what it says (live progress). */
  say(text: string): void;
  stop(): void;
}

/**
 * Loads ora only for a terminal that will show it. A terminal that reports no width (a pty nobody
 * sized, as under `script` without a terminal of its own) gets none: ora divides by the width to
 * count the lines it clears, and with 0 it clears without end.
 */
export async function startSpinner(
  text: string,
  enabled: boolean,
  stream: NodeJS.WriteStream = process.stderr,
): Promise<Spinner> {
  if (!enabled || !stream.isTTY || !(stream.columns > 0)) return { say: () => undefined, stop: () => undefined };
  const { default: ora } = await import('ora');
  const s = ora({ text, stream, discardStdin: false }).start();
  return { say: (t) => void (s.text = t), stop: () => s.stop() };
}
