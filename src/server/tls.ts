// The server's TLS: a certificate authority of its own in JOBCTL_HOME, and a certificate for
// 127.0.0.1 and localhost signed by it, made with the system's `openssl` (OpenSSL 3) the first
// time and whenever the server's certificate nears its end. The CA stays, so a kubeconfig
// exported once keeps working. Private keys are 0600.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { homePaths } from '../api/index.js';

export interface ServerTls {
  key: Buffer;
  cert: Buffer;
  ca: Buffer;
}

export class TlsSetupError extends Error {}

const CA_DAYS = 3650;
const SERVER_DAYS = 397;
/** A server certificate this close to its end is made again at start. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT')
      throw new TlsSetupError('jobctl makes its server certificate with openssl: install it (apt-get install openssl)');
    throw new TlsSetupError(`openssl ${args[0]} failed: ${err.stderr?.toString().trim() || err.message}`);
  }
}

/** Whether the server certificate is signed by the CA, names 127.0.0.1 and localhost, and is not near its end. */
function usable(cert: string, ca: string, nowMs: number): boolean {
  try {
    const c = new X509Certificate(readFileSync(cert));
    const authority = new X509Certificate(readFileSync(ca));
    const names = c.subjectAltName ?? '';
    return (
      c.verify(authority.publicKey) &&
      names.includes('IP Address:127.0.0.1') &&
      names.includes('DNS:localhost') &&
      Date.parse(c.validTo) - nowMs > RENEW_BEFORE_MS
    );
  } catch {
    return false;
  }
}

export function ensureTls(home: string, nowMs = Date.now()): ServerTls {
  const p = homePaths(home);
  if (!existsSync(p.caCert) || !existsSync(p.caKey)) {
    rmSync(p.serverCert, { force: true });
    openssl(
      ['req', '-x509', ...EC, '-keyout', p.caKey, '-out', p.caCert, '-days', String(CA_DAYS)]
        .concat(['-subj', '/CN=jobctl-ca', '-addext', 'basicConstraints=critical,CA:TRUE'])
        .concat(['-addext', 'keyUsage=critical,keyCertSign,cRLSign']),
    );
    chmodSync(p.caKey, 0o600);
  }
  if (!existsSync(p.serverKey) || !usable(p.serverCert, p.caCert, nowMs)) {
    openssl(
      ['req', '-x509', ...EC, '-keyout', p.serverKey, '-out', p.serverCert, '-days', String(SERVER_DAYS)]
        .concat(['-CA', p.caCert, '-CAkey', p.caKey, '-subj', '/CN=jobctl'])
        .concat(['-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-addext', 'basicConstraints=CA:FALSE'])
        .concat(['-addext', 'extendedKeyUsage=serverAuth', '-addext', 'keyUsage=critical,digitalSignature']),
    );
    chmodSync(p.serverKey, 0o600);
  }
  return { key: readFileSync(p.serverKey), cert: readFileSync(p.serverCert), ca: readFileSync(p.caCert) };
}
