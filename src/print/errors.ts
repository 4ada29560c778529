// How errors reach the user, in kubectl's words (reference §1.5).
import type { Status } from '../api/index.js';

/** Renders a server Status as kubectl does; `context` is e.g. `error when creating "job.yaml"`. */
export function renderStatus(status: Status, context?: string): string {
  if (status.code === 401) return `error: You must be logged in to the server (${status.message})`;
  const causes = status.details?.causes ?? [];
  if (status.reason === 'Invalid' && causes.length > 0) {
    const kind = status.details?.kind ?? '';
    const name = status.details?.name ?? '';
    const lines = [...new Set(causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)))];
    if (lines.length === 1) return `The ${kind} "${name}" is invalid: ${lines[0]}`;
    return `The ${kind} "${name}" is invalid: \n${lines.map((l) => `* ${l}`).join('\n')}`;
  }
  if (status.reason && status.reason !== 'Unknown') {
    return `Error from server (${status.reason}): ${context ? `${context}: ` : ''}${status.message}`;
  }
  return `Error from server: ${context ? `${context}: ` : ''}${status.message}`;
}
