// Server tunables from the environment. Defaults are Kubernetes' own.
import { bytes, isQuantity, jobctlHome, parseDuration, parseQuantity } from '../api/index.js';
import { DockerEndpointError, resolveDockerEndpoint, type DockerEndpoint } from '../runtime/docker/endpoint.js';

/** Kubernetes' DefaultJobPodFailureBackOff and the kubelet's initial crash-loop/image-pull back-off. */
export const DEFAULT_BACKOFF_BASE_MS = 10_000;
/** With nothing running, pending or watched for this long, the server exits. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60_000;

/** The kubelet's eviction manager's monitoring interval. */
export const DEFAULT_EVICTION_INTERVAL_MS = 10_000;
/** The API server's default --event-ttl. */
export const DEFAULT_EVENT_TTL_MS = 60 * 60_000;

export const RUNTIMES = ['docker', 'simulated'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

export interface ServerConfig {
  home: string;
  /** JOBCTL_RUNTIME: the Docker engine, or the simulated runtime in memory (tests, the scale benchmark). */
  runtime: RuntimeName;
  /** The Docker engine the docker CLI would use (DOCKER_HOST, Docker contexts), for the docker runtime. */
  docker?: DockerEndpoint;
  backoffBaseMs: number;
  idleTimeoutMs: number;
  /** JOBCTL_EVENT_TTL: events expire this long after their last write. */
  eventTtlMs: number;
  /** JOBCTL_EVICTION_INTERVAL: how often sized emptyDirs are measured. */
  evictionIntervalMs: number;
  /** JOBCTL_SANDBOX_IMAGE: holds the network namespace of pods with several containers. */
  sandboxImage?: string;
  /** JOBCTL_AUDIT_LOG: a file that gets one JSON line per request (what, how authenticated, SNI). */
  auditLog?: string;
  /** JOBCTL_PORT: the port on 127.0.0.1 (default: the one kept from the last start, else any free one). */
  port?: number;
  /**
   * JOBCTL_NODE_CPU, JOBCTL_NODE_MEMORY, JOBCTL_NODE_PODS: the node's allocatable cpu, memory
   * and pod count, to leave room for the machine's other work (default: all of it, 110 pods).
   */
  node: { cpu?: string; memory?: string; pods?: number };
  /** JOBCTL_JOB_LOG_CAP: the most output kept per Job, all its attempts together (default 100Mi). */
  jobLogCapBytes?: number;
}

export class ConfigError extends Error {}

function durationFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const ms = parseDuration(v);
  if (ms === undefined || ms < 0) throw new ConfigError(`${name}=${v} is not a duration (examples: 200ms, 10s, 1m)`);
  return ms;
}

function portFrom(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < 1 || n > 65535) throw new ConfigError(`JOBCTL_PORT=${v} is not a port (1-65535)`);
  return n;
}

function quantityFrom(env: NodeJS.ProcessEnv, name: string, example: string): string | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (!isQuantity(v) || parseQuantity(v) <= 0)
    throw new ConfigError(`${name}=${v} is not a positive quantity (example: ${example})`);
  return v;
}

function podsFrom(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new ConfigError(`JOBCTL_NODE_PODS=${v} is not a positive whole number`);
  return Number(v);
}

export function readServerConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const runtime = (env.JOBCTL_RUNTIME || 'docker') as RuntimeName;
  if (!RUNTIMES.includes(runtime)) {
    throw new ConfigError(
      `JOBCTL_RUNTIME=${env.JOBCTL_RUNTIME} is not a runtime jobctl knows (${RUNTIMES.join(', ')})`,
    );
  }
  let docker: DockerEndpoint | undefined;
  try {
    docker = runtime === 'docker' ? resolveDockerEndpoint(env) : undefined;
  } catch (e) {
    if (e instanceof DockerEndpointError) throw new ConfigError(e.message);
    throw e;
  }
  return {
    home: jobctlHome(env),
    runtime,
    docker,
    backoffBaseMs: durationFrom(env, 'JOBCTL_BACKOFF_BASE', DEFAULT_BACKOFF_BASE_MS),
    idleTimeoutMs: durationFrom(env, 'JOBCTL_IDLE_TIMEOUT', DEFAULT_IDLE_TIMEOUT_MS),
    eventTtlMs: durationFrom(env, 'JOBCTL_EVENT_TTL', DEFAULT_EVENT_TTL_MS),
    evictionIntervalMs: durationFrom(env, 'JOBCTL_EVICTION_INTERVAL', DEFAULT_EVICTION_INTERVAL_MS),
    sandboxImage: env.JOBCTL_SANDBOX_IMAGE || undefined,
    port: portFrom(env.JOBCTL_PORT),
    auditLog: env.JOBCTL_AUDIT_LOG || undefined,
    node: {
      cpu: quantityFrom(env, 'JOBCTL_NODE_CPU', '2 or 1500m'),
      memory: quantityFrom(env, 'JOBCTL_NODE_MEMORY', '4Gi'),
      pods: podsFrom(env.JOBCTL_NODE_PODS),
    },
    jobLogCapBytes: ((q) => (q === undefined ? undefined : bytes(q)))(quantityFrom(env, 'JOBCTL_JOB_LOG_CAP', '100Mi')),
  };
}
