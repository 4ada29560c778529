// The spinner `wait` shows on a terminal (ora); a no-op elsewhere.

export interface Spinner {
  /** Whether it shows at all (a person's terminal). */
  active: boolean;
  /** Changes what it says (live progress). */
  say(text: string): void;
  stop(): void;
}

/**
 * Loads ora only for a terminal that will show it, and decides that here (ora's own test would
 * otherwise turn a spinner it was given into one `- text` line). None for a dumb terminal or under
 * `CI` (ora's and most tools' rule), and none for a terminal that reports no width (a pty nobody
 * sized, as under `script` without a terminal of its own): ora divides by the width to count the
 * lines it clears, and with 0 it clears without end.
 */
export async function startSpinner(
  text: string,
  enabled: boolean,
  stream: NodeJS.WriteStream = process.stderr,
): Promise<Spinner> {
  const shown = stream.isTTY && stream.columns > 0 && process.env.TERM !== 'dumb' && !('CI' in process.env);
  if (!enabled || !shown) return { active: false, say: () => undefined, stop: () => undefined };
  const { default: ora } = await import('ora');
  const s = ora({ text, stream, discardStdin: false, isEnabled: true }).start();
  return { active: true, say: (t) => void (s.text = t), stop: () => s.stop() };
}
