// A kubeconfig's `proxy-url`: HTTPS to the cluster through an HTTP proxy's CONNECT tunnel, as
// client-go's transport does. Only http:// and https:// proxies (client-go also speaks SOCKS5).
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest, type AgentOptions, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { connect, type ConnectionOptions } from 'node:tls';
import { KubeconfigError } from '../api/index.js';

/** An agent whose connections are tunnels through `proxy` (CONNECT host:port), then TLS to the cluster. */
export class ProxyAgent extends Agent {
  constructor(
    private readonly proxy: URL,
    options: AgentOptions = {},
  ) {
    super({ ...options, keepAlive: false });
    if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
      throw new KubeconfigError(`proxy-url: the ${proxy.protocol.replace(':', '')} scheme is not supported by jobctl`);
    }
  }

  override createConnection(
    options: RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): undefined {
    const fail = (e: Error) => callback?.(e, undefined as unknown as Duplex);
    const target = `${options.host}:${options.port}`;
    const auth = this.proxy.username
      ? {
          'Proxy-Authorization': `Basic ${Buffer.from(`${decodeURIComponent(this.proxy.username)}:${decodeURIComponent(this.proxy.password)}`).toString('base64')}`,
        }
      : {};
    const request = this.proxy.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request({
      host: this.proxy.hostname,
      port: this.proxy.port || (this.proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: target,
      headers: { Host: target, ...auth },
    });
    req.on('connect', (res: IncomingMessage, socket: Socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        fail(new Error(`proxyconnect tcp: the proxy answered ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      const { host: _h, port: _p, ...tlsOptions } = options;
      callback?.(null, connect({ ...(tlsOptions as ConnectionOptions), socket }));
    });
    req.on('error', (e) => fail(new Error(`proxyconnect tcp: ${e.message}`)));
    req.end();
    return undefined;
  }
}
