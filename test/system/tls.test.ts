import { X509Certificate } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Home } from '../e2e/harness.js';
import { ensureTls } from '../../src/server/tls.js';
import { tempDir } from '../helpers/temp.js';

describe('the server certificate', () => {
  it('is made once, by a CA of the home, for 127.0.0.1 and localhost; renewed near its end, the CA kept', () => {
    const home = tempDir('jobctl-tls-');
    const first = ensureTls(home);
    for (const key of ['ca.key', 'server.key']) expect(statSync(join(home, key)).mode & 0o777).toBe(0o600);
    const cert = new X509Certificate(first.cert);
    const ca = new X509Certificate(first.ca);
    expect(cert.verify(ca.publicKey)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(ca.ca).toBe(true);
    expect(cert.ca).toBe(false);
    // Kept while usable.
    expect(ensureTls(home)).toEqual(first);
    // Near its end (a year on): a new server certificate, from the same CA.
    const later = ensureTls(home, Date.parse(cert.validTo) - 24 * 3600 * 1000);
    expect(later.ca).toEqual(first.ca);
    expect(later.cert).not.toEqual(first.cert);
    expect(new X509Certificate(later.cert).verify(ca.publicKey)).toBe(true);
  });
});

describe('the server port', () => {
  const home = new Home('500ms', { runtime: 'simulated' });
  afterAll(() => home.cleanup());

  it('is kept across restarts; taken by another process, the server takes another and says so', async () => {
    const started = async () => Number(/:(\d+) /.exec(await home.ok(['server', 'start']))![1]);
    const first = await started();
    await home.ok(['server', 'stop']);
    expect(await started()).toBe(first);
    await home.ok(['server', 'stop']);
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(first, '127.0.0.1', r));
    try {
      const second = await started();
      expect(second).not.toBe(first);
      expect(readFileSync(join(home.dir, 'server.port'), 'utf8').trim()).toBe(String(second));
      expect(readFileSync(join(home.dir, 'server.log'), 'utf8')).toContain(
        `port ${first} is taken by another process: listening on another; run \`jobctl kubeconfig --merge\` again`,
      );
    } finally {
      squatter.close();
    }
  });
});
