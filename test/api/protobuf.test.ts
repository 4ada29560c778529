// Kubernetes' protobuf bodies (what `kubectl create job|configmap|secret|namespace` POST), decoded
// into the JSON form. The bodies here are built by a small encoder of the wire format; the
// end-to-end test sends kubectl's own.
import { describe, expect, it } from 'vitest';
import { decodeProtobufObject, ProtobufError } from '../../src/api/protobuf.js';

const varint = (n: number | bigint): number[] => {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? byte | 0x80 : byte);
  } while (v);
  return out;
};
const bytesField = (num: number, payload: Buffer | string): Buffer => {
  const b = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  return Buffer.from([...varint((num << 3) | 2), ...varint(b.length), ...b]);
};
const intField = (num: number, v: number) => Buffer.from([...varint(num << 3), ...varint(v)]);
const msg = (...fields: Buffer[]) => Buffer.concat(fields);
const entry = (num: number, key: string, value: Buffer | string) =>
  bytesField(num, msg(bytesField(1, key), bytesField(2, value)));
const body = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([
    Buffer.from('k8s\0', 'binary'),
    msg(bytesField(1, msg(bytesField(1, apiVersion), bytesField(2, kind))), bytesField(2, raw)),
  ]);
// Go writes every non-pointer field: an empty generateName, a zero creationTimestamp.
const meta = (name: string) => msg(bytesField(1, name), bytesField(2, ''), bytesField(8, msg()));

describe('protobuf bodies', () => {
  it('a ConfigMap: its data, binary data as base64, empty fields left out', () => {
    const raw = msg(bytesField(1, meta('c')), entry(2, 'a', '1'), entry(3, 'bin', Buffer.from([0, 255])));
    expect(decodeProtobufObject(body('v1', 'ConfigMap', raw))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      data: { a: '1' },
      binaryData: { bin: 'AP8=' },
    });
  });

  it('a Job as kubectl create job builds it: pointer fields keep a zero, Go zero values are dropped', () => {
    const container = msg(
      bytesField(1, 'j'),
      bytesField(2, 'busybox:1.35'),
      bytesField(3, 'echo'),
      bytesField(3, 'hi'),
      bytesField(5, ''),
      bytesField(8, msg()),
      intField(16, 0), // stdin: false
      intField(22, 0), // a field jobctl does not model, empty
    );
    const podSpec = msg(bytesField(2, container), bytesField(3, 'Never'), intField(11, 0));
    const spec = msg(intField(1, 0), bytesField(6, msg(bytesField(1, msg()), bytesField(2, podSpec))));
    const raw = msg(bytesField(1, meta('j')), bytesField(2, spec), bytesField(3, msg(intField(4, 1))));
    expect(decodeProtobufObject(body('batch/v1', 'Job', raw))).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: {
        parallelism: 0,
        template: {
          metadata: {},
          spec: {
            containers: [{ name: 'j', image: 'busybox:1.35', command: ['echo', 'hi'], resources: {} }],
            restartPolicy: 'Never',
          },
        },
      },
    });
  });

  it('a Secret, a Namespace; quantities, times and labels', () => {
    const secret = msg(bytesField(1, meta('s')), entry(2, 'p', 'secret'), bytesField(3, 'Opaque'));
    expect(decodeProtobufObject(body('v1', 'Secret', secret))).toMatchObject({
      data: { p: 'c2VjcmV0' },
      type: 'Opaque',
    });
    const nsMeta = msg(bytesField(1, 'n'), entry(11, 'team', 'a'), bytesField(8, msg(intField(1, 1_700_000_000))));
    const ns = msg(bytesField(1, nsMeta), bytesField(2, bytesField(1, 'kubernetes')));
    expect(decodeProtobufObject(body('v1', 'Namespace', ns))).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'n', labels: { team: 'a' }, creationTimestamp: '2023-11-14T22:13:20Z' },
      spec: { finalizers: ['kubernetes'] },
    });
    const resources = msg(bytesField(1, msg(bytesField(1, 'cpu'), bytesField(2, bytesField(1, '500m')))));
    const container = msg(bytesField(1, 'c'), bytesField(8, resources));
    const raw = msg(bytesField(2, bytesField(6, bytesField(2, bytesField(2, container)))));
    const job = decodeProtobufObject(body('batch/v1', 'Job', raw)) as {
      spec: { template: { spec: { containers: unknown[] } } };
    };
    expect(job.spec.template.spec.containers).toEqual([{ name: 'c', resources: { limits: { cpu: '500m' } } }]);
  });

  it('refuses what it cannot read, saying what', () => {
    const decode = (b: Buffer) => () => decodeProtobufObject(b);
    expect(decode(Buffer.from('{"kind":"Job"}'))).toThrow(ProtobufError);
    expect(decode(body('apps/v1', 'Deployment', msg()))).toThrow(/not apps\/v1\/Deployment/);
    const set = msg(bytesField(1, meta('c')), bytesField(9, 'something'));
    expect(decode(body('v1', 'ConfigMap', set))).toThrow('field 9 of ConfigMap is not one jobctl reads');
    const cut = body('v1', 'ConfigMap', msg(bytesField(1, meta('c')))).subarray(0, 12);
    expect(decode(cut)).toThrow(/truncated/);
  });
});
