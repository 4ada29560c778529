// `jobctl attempts` against a server that is not jobctl's (a cluster): it says the cluster keeps
// no attempts, rather than a bare 404.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusError } from '../../src/api/index.js';
import { fetchAttempts } from '../../src/cli/attempts.js';
import { CliError } from '../../src/cli/io.js';
import { ApiClient } from '../../src/client/index.js';

// A self-signed certificate for 127.0.0.1, made for this test and removed after it.
const dir = mkdtempSync(join(tmpdir(), 'jobctl-cluster-'));
execFileSync(
  'openssl',
  ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'].concat([
    '-keyout',
    join(dir, 'key'),
    '-out',
    join(dir, 'crt'),
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
  ]),
  { stdio: 'ignore' },
);
const tls = { key: readFileSync(join(dir, 'key')), cert: readFileSync(join(dir, 'crt')) };
const server = createServer(tls, (req, res) => {
  if (req.url?.includes('/jobs/gone/')) {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        message: 'jobs.batch "gone" not found',
        reason: 'NotFound',
        details: { name: 'gone', group: 'batch', kind: 'jobs' },
        code: 404,
      }),
    );
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain' });
  res.end('404 page not found\n');
});
let client: ApiClient;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  client = new ApiClient({
    local: false,
    server: new URL(`https://127.0.0.1:${port}`),
    ca: tls.cert,
    credentials: async () => ({ headers: {} }),
    renew: async () => false,
  });
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

describe('attempts on a cluster', () => {
  it("says the server keeps none; a Job that is not there is the server's NotFound", async () => {
    const asked = fetchAttempts(client, 'default', { resource: 'jobs', name: 'x' });
    await expect(asked).rejects.toBeInstanceOf(CliError);
    await expect(asked).rejects.toThrow(/keeps no attempts: it is not a jobctl server/);
    await expect(fetchAttempts(client, 'default', { resource: 'jobs', name: 'gone' })).rejects.toBeInstanceOf(
      StatusError,
    );
  });
});
