// The Docker Engine API's wire formats, as engine.ts reads them: inspect and list answers, events,
// image references and the multiplexed log stream.

/** The Engine API version jobctl speaks (Docker 20.10 and Podman 4 both serve it). */
export const DOCKER_API_VERSION = 'v1.41';

export interface ContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  Image: string;
  State: {
    Status: string;
    Running: boolean;
    ExitCode: number;
    OOMKilled: boolean;
    StartedAt: string;
    FinishedAt: string;
    Error: string;
    Pid: number;
  };
  Config: { Labels: Record<string, string>; Image: string };
}

export interface DockerContainerSummary {
  Id: string;
  Names: string[];
  Labels: Record<string, string>;
  State: string;
}

export interface EngineEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  time: number;
  timeNano: number;
}

export function splitImage(image: string): [string, string] {
  const at = image.indexOf('@');
  if (at >= 0) return [image.slice(0, at), image.slice(at + 1)];
  const slash = image.lastIndexOf('/');
  const colon = image.indexOf(':', slash + 1);
  return colon < 0 ? [image, 'latest'] : [image.slice(0, colon), image.slice(colon + 1)];
}

/** The frames of a log stream: multiplexed, or (a terminal's) one raw stream split at its lines. */
export function logFrames(
  tty: boolean,
  onFrame: (stream: 'stdout' | 'stderr', frame: string) => void,
): (chunk: Buffer) => void {
  return tty ? rawLines((line) => onFrame('stdout', line)) : demux((s, data) => onFrame(s, data.toString('utf8')));
}

/** Splits a raw (terminal) log stream into its lines, each ending with '\n'. */
export function rawLines(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending = '';
  return (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, nl + 1));
      pending = pending.slice(nl + 1);
    }
  };
}

/** Splits Docker's multiplexed log stream into (stream, payload) frames. */
export function demux(onFrame: (stream: 'stdout' | 'stderr', data: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      onFrame(pending[0] === 2 ? 'stderr' : 'stdout', pending.subarray(8, 8 + size));
      pending = pending.subarray(8 + size);
    }
  };
}
