// WebSocket (RFC 6455) on any duplex socket, as the Kubernetes streaming subresources (exec,
// attach) use it: binary messages, ping/pong, the closing handshake. Small and our own: the server
// answers kubectl's and client libraries' upgrades with it, and `jobctl exec` dials with it. A
// client masks what it sends; a server does not.
import { createHash, randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const OPCODE = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key`. */
export function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + GUID)
    .digest('base64');
}

/** A fresh `Sec-WebSocket-Key`. */
export const newWebSocketKey = (): string => randomBytes(16).toString('base64');

export function encodeFrame(opcode: number, payload: Buffer, masked: boolean): Buffer {
  const len = payload.length;
  const extra = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + extra + (masked ? 4 : 0));
  head[0] = 0x80 | opcode;
  head[1] = (masked ? 0x80 : 0) | (extra === 0 ? len : extra === 2 ? 126 : 127);
  if (extra === 2) head.writeUInt16BE(len, 2);
  if (extra === 8) head.writeBigUInt64BE(BigInt(len), 2);
  if (!masked) return Buffer.concat([head, payload]);
  const mask = randomBytes(4);
  mask.copy(head, 2 + extra);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= mask[i & 3];
  return Buffer.concat([head, body]);
}

export interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Frames out of a byte stream, however it is cut. Throws on what RFC 6455 forbids. */
export class FrameParser {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxPayload = 64 * 1024 * 1024) {}

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: Frame[] = [];
    for (;;) {
      const p = this.pending;
      if (p.length < 2) return out;
      const masked = (p[1] & 0x80) !== 0;
      let len = p[1] & 0x7f;
      let at = 2;
      if (len === 126) {
        if (p.length < 4) return out;
        len = p.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (p.length < 10) return out;
        const big = p.readBigUInt64BE(2);
        if (big > BigInt(this.maxPayload)) throw new Error('websocket: message too large');
        len = Number(big);
        at = 10;
      }
      if (len > this.maxPayload) throw new Error('websocket: message too large');
      const maskAt = at;
      if (masked) at += 4;
      if (p.length < at + len) return out;
      const payload = Buffer.from(p.subarray(at, at + len));
      if (masked) for (let i = 0; i < len; i++) payload[i] ^= p[maskAt + (i & 3)];
      out.push({ fin: (p[0] & 0x80) !== 0, opcode: p[0] & 0x0f, payload });
      this.pending = p.subarray(at + len);
    }
  }
}

export interface WebSocketEvents {
  /** A whole binary or text message. */
  onMessage(data: Buffer): void;
  /** Once: the connection ended (`code` 1000 for a normal close, 1006 when it just dropped). */
  onClose(code: number, reason: string): void;
}

/** A WebSocket over an upgraded socket. */
export class WebSocket {
  private readonly parser = new FrameParser();
  private fragments: Buffer[] = [];
  private closeSent = false;
  private ended = false;

  constructor(
    private readonly socket: Duplex,
    private readonly client: boolean,
    private readonly events: WebSocketEvents,
    head?: Buffer,
  ) {
    socket.on('data', (d: Buffer) => this.receive(d));
    socket.on('close', () => this.end(1006, ''));
    socket.on('error', () => this.end(1006, ''));
    if (head?.length) queueMicrotask(() => this.receive(head));
  }

  get open(): boolean {
    return !this.closeSent && !this.ended;
  }

  send(data: Buffer): boolean {
    if (!this.open) return false;
    return this.socket.write(encodeFrame(OPCODE.binary, data, this.client));
  }

  /** Waits until what was sent has drained (backpressure for a fast producer). */
  drained(): Promise<void> {
    if (!this.socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  ping(): void {
    if (this.open) this.socket.write(encodeFrame(OPCODE.ping, Buffer.alloc(0), this.client));
  }

  /** Starts the closing handshake; the socket ends when the peer answers (or after a second). */
  close(code = 1000, reason = ''): void {
    if (this.closeSent || this.ended) return;
    this.closeSent = true;
    const body = Buffer.alloc(2 + Buffer.byteLength(reason));
    body.writeUInt16BE(code, 0);
    body.write(reason, 2);
    this.socket.write(encodeFrame(OPCODE.close, body, this.client));
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private receive(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.parser.push(chunk);
    } catch {
      this.socket.destroy();
      return;
    }
    for (const f of frames) {
      if (f.opcode === OPCODE.ping) {
        if (!this.closeSent) this.socket.write(encodeFrame(OPCODE.pong, f.payload, this.client));
      } else if (f.opcode === OPCODE.close) {
        const code = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1005;
        const reason = f.payload.subarray(2).toString('utf8');
        if (!this.closeSent) {
          this.closeSent = true;
          this.socket.write(encodeFrame(OPCODE.close, f.payload.subarray(0, 2), this.client));
        }
        this.socket.end();
        this.end(code, reason);
      } else if (f.opcode === OPCODE.pong) {
        /* a heartbeat's answer */
      } else {
        this.fragments.push(f.payload);
        if (f.fin) {
          const message = this.fragments.length === 1 ? this.fragments[0] : Buffer.concat(this.fragments);
          this.fragments = [];
          if (!this.ended) this.events.onMessage(message);
        }
      }
    }
  }

  private end(code: number, reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.events.onClose(code, reason);
  }
}
