// The WebSocket codec and connection (api/websocket.ts) and the remote-command protocol's status
// (api/remote-command.ts): RFC 6455's own example key, frames of each length encoding, masking,
// fragments, ping/pong and the closing handshake over a real socket pair; the error channel's
// Status as the kubelet writes it and as client-go reads it.
import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acceptKey,
  decodeStreamStatus,
  encodeFrame,
  exitStatus,
  FrameParser,
  OPCODE,
  parseStreamQuery,
  streamFailure,
  streamQuery,
  WebSocket,
} from '../../src/api/index.js';

describe('frames', () => {
  it("computes RFC 6455's accept key for its example", () => {
    expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it.each([0, 1, 125, 126, 65535, 65536, 200_000])('round-trips %i bytes, masked and not', (n) => {
    const payload = Buffer.alloc(n, 7);
    for (const masked of [false, true]) {
      const frame = encodeFrame(OPCODE.binary, payload, masked);
      expect(frame[1] & 0x80).toBe(masked ? 0x80 : 0);
      const parser = new FrameParser();
      // Fed in awkward pieces: a header split in two, the payload byte by byte at first.
      const parts = [
        frame.subarray(0, 1),
        ...[...frame.subarray(1, 20)].map((b) => Buffer.from([b])),
        frame.subarray(20),
      ];
      const frames = parts.flatMap((p) => parser.push(p));
      expect(frames).toHaveLength(1);
      expect(frames[0]).toMatchObject({ fin: true, opcode: OPCODE.binary });
      expect(frames[0].payload.equals(payload)).toBe(true);
    }
  });

  it('refuses a frame larger than its limit', () => {
    const parser = new FrameParser(10);
    expect(() => parser.push(encodeFrame(OPCODE.binary, Buffer.alloc(11), false))).toThrow(/too large/);
  });
});

/** Two WebSockets on the two ends of a loopback TCP connection: a client (masks) and a server. */
async function pair(): Promise<{ client: Socket; server: Socket; close: () => void }> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  const accepted = new Promise<Socket>((r) => srv.once('connection', r));
  const client = connect(port, '127.0.0.1');
  const server = await accepted;
  return { client, server, close: () => (client.destroy(), server.destroy(), srv.close()) };
}

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('a connection', () => {
  it('carries messages both ways, joins fragments, answers pings, and closes cleanly', async () => {
    const { client, server, close } = await pair();
    cleanups.push(close);
    const got: { side: string; data: string }[] = [];
    const closed: { side: string; code: number }[] = [];
    const events = (side: string) => ({
      onMessage: (d: Buffer) => got.push({ side, data: d.toString() }),
      onClose: (code: number) => closed.push({ side, code }),
    });
    const c = new WebSocket(client, true, events('client'));
    // What the server sends, read beside the client: the pong to the client's ping.
    const seen = new FrameParser();
    const pongs: string[] = [];
    client.on('data', (d: Buffer) => {
      for (const f of seen.push(d)) if (f.opcode === OPCODE.pong) pongs.push(f.payload.toString());
    });
    const s = new WebSocket(server, false, events('server'));
    c.send(Buffer.from('hello'));
    s.send(Buffer.from('there'));
    // A message in two fragments, a ping between them: the ping is answered, the fragments joined.
    const first = encodeFrame(OPCODE.binary, Buffer.from('frag'), true);
    first[0] &= 0x7f; // not the last
    client.write(first);
    client.write(encodeFrame(OPCODE.ping, Buffer.from('hb'), true));
    client.write(encodeFrame(OPCODE.continuation, Buffer.from('ment'), true));
    await until(() => got.length === 3 && pongs.length === 1);
    expect(pongs).toEqual(['hb']);
    // Each side's messages in order; the two sides' interleaving is the network's.
    expect(got.filter((g) => g.side === 'server').concat(got.filter((g) => g.side === 'client'))).toEqual([
      { side: 'server', data: 'hello' },
      { side: 'server', data: 'fragment' },
      { side: 'client', data: 'there' },
    ]);
    s.close(1000);
    await until(() => closed.length === 2);
    expect(closed.map((x) => x.code)).toEqual([1000, 1000]);
    expect(s.send(Buffer.from('late'))).toBe(false);
  });

  it('reports a dropped connection as 1006', async () => {
    const { client, server, close } = await pair();
    cleanups.push(close);
    let code = 0;
    new WebSocket(client, true, { onMessage: () => undefined, onClose: (c) => (code = c) });
    server.destroy();
    await until(() => code !== 0);
    expect(code).toBe(1006);
  });
});

describe('the remote-command status', () => {
  it('writes success and exit codes as the kubelet does, and reads them as client-go does', () => {
    expect(exitStatus(0, ['true'])).toEqual({ metadata: {}, status: 'Success' });
    const failed = exitStatus(3, ['sh', '-c', 'exit 3']);
    expect(failed).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    expect(decodeStreamStatus(JSON.stringify(failed))).toEqual({ exitCode: 3 });
    expect(decodeStreamStatus(JSON.stringify(exitStatus(0, [])))).toEqual({});
    expect(decodeStreamStatus('')).toEqual({});
    expect(decodeStreamStatus(JSON.stringify(streamFailure('it broke')))).toEqual({ message: 'it broke' });
    expect(decodeStreamStatus('{"status":"Failure","reason":"NonZeroExitCode","details":{"causes":[]}}')).toEqual({
      message: 'error stream protocol error: no ExitCode cause given',
    });
    expect(decodeStreamStatus('nope').message).toMatch(/^error stream protocol error: /);
  });

  it("reads the query's booleans as Go does (the Python client sends True)", () => {
    const q = new URLSearchParams('command=ls&command=-l&stdout=True&stderr=1&stdin=false&tty=t&container=c');
    expect(parseStreamQuery(q)).toEqual({
      container: 'c',
      command: ['ls', '-l'],
      stdin: false,
      stdout: true,
      stderr: true,
      tty: true,
    });
    const o = { container: 'main', command: ['sh', '-c', 'x y'], stdin: true, stdout: true, stderr: false, tty: false };
    expect(parseStreamQuery(streamQuery(o))).toEqual(o);
  });
});

async function until(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}
