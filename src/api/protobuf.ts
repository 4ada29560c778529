// Kubernetes' protobuf bodies, as `kubectl create job|configmap|secret|namespace` POSTs them:
// the `k8s\0` magic, then a runtime.Unknown holding the TypeMeta and the object's own message.
// Decoded by field number into the JSON form, for the kinds and fields those commands send (and
// the rest of a Job's spec); a field number jobctl does not know is refused, never dropped.
import type { ApiObject } from './types.js';

export class ProtobufError extends Error {}

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Scalar = 'string' | 'bytes' | 'int' | 'bool';
/** A field: its JSON name, its type, and how it repeats (a list, or a map of entries). */
interface Field {
  name: string;
  type: Scalar | { msg: string };
  repeat?: 'list' | 'map';
  /** Go pointer fields: present even when zero (`parallelism: 0`); others are omitted when empty. */
  ptr?: boolean;
}

const s = (name: string, ptr = false): Field => ({ name, type: 'string', ptr });
const n = (name: string, ptr = false): Field => ({ name, type: 'int', ptr });
const b = (name: string, ptr = false): Field => ({ name, type: 'bool', ptr });
const m = (name: string, msg: string, repeat?: 'list' | 'map'): Field => ({ name, type: { msg }, repeat });
const strings = (name: string): Field => ({ name, type: 'string', repeat: 'list' });
const stringMap = (name: string): Field => ({ name, type: 'string', repeat: 'map' });
const bytesMap = (name: string): Field => ({ name, type: 'bytes', repeat: 'map' });

/** Field numbers from Kubernetes' generated.proto files (k8s.io/api, k8s.io/apimachinery). */
const MESSAGES: Record<string, Record<number, Field>> = {
  Unknown: {
    1: m('typeMeta', 'TypeMeta'),
    2: { name: 'raw', type: 'bytes' },
    3: s('contentEncoding'),
    4: s('contentType'),
  },
  TypeMeta: { 1: s('apiVersion'), 2: s('kind') },
  ObjectMeta: {
    1: s('name'),
    2: s('generateName'),
    3: s('namespace'),
    4: s('selfLink'),
    5: s('uid'),
    6: s('resourceVersion'),
    7: n('generation'),
    8: m('creationTimestamp', 'Time'),
    9: m('deletionTimestamp', 'Time'),
    10: n('deletionGracePeriodSeconds', true),
    11: stringMap('labels'),
    12: stringMap('annotations'),
    14: strings('finalizers'),
  },
  Time: { 1: n('seconds'), 2: n('nanos') },
  Job: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'JobSpec'), 3: m('status', 'Empty') },
  JobSpec: {
    1: n('parallelism', true),
    2: n('completions', true),
    3: n('activeDeadlineSeconds', true),
    4: m('selector', 'LabelSelector'),
    5: b('manualSelector', true),
    6: m('template', 'PodTemplateSpec'),
    7: n('backoffLimit', true),
    8: n('ttlSecondsAfterFinished', true),
    9: s('completionMode', true),
    10: b('suspend', true),
    12: n('backoffLimitPerIndex', true),
    13: n('maxFailedIndexes', true),
    14: s('podReplacementPolicy', true),
    15: s('managedBy', true),
  },
  LabelSelector: { 1: stringMap('matchLabels'), 2: m('matchExpressions', 'LabelSelectorRequirement', 'list') },
  LabelSelectorRequirement: { 1: s('key'), 2: s('operator'), 3: strings('values') },
  PodTemplateSpec: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'PodSpec') },
  PodSpec: {
    2: m('containers', 'Container', 'list'),
    3: s('restartPolicy'),
    4: n('terminationGracePeriodSeconds', true),
    5: n('activeDeadlineSeconds', true),
    6: s('dnsPolicy'),
    7: stringMap('nodeSelector'),
    8: s('serviceAccountName'),
    9: s('serviceAccount'),
    10: s('nodeName'),
    11: b('hostNetwork'),
    16: s('hostname'),
    17: s('subdomain'),
    19: s('schedulerName'),
    20: m('initContainers', 'Container', 'list'),
  },
  Container: {
    1: s('name'),
    2: s('image'),
    3: strings('command'),
    4: strings('args'),
    5: s('workingDir'),
    7: m('env', 'EnvVar', 'list'),
    8: m('resources', 'ResourceRequirements'),
    13: s('terminationMessagePath'),
    14: s('imagePullPolicy'),
    16: b('stdin'),
    17: b('stdinOnce'),
    18: b('tty'),
    20: s('terminationMessagePolicy'),
  },
  EnvVar: { 1: s('name'), 2: s('value') },
  ResourceRequirements: { 1: m('limits', 'Quantity', 'map'), 2: m('requests', 'Quantity', 'map') },
  Quantity: { 1: s('string') },
  ConfigMap: {
    1: m('metadata', 'ObjectMeta'),
    2: stringMap('data'),
    3: bytesMap('binaryData'),
    4: b('immutable', true),
  },
  Secret: {
    1: m('metadata', 'ObjectMeta'),
    2: bytesMap('data'),
    3: s('type'),
    4: stringMap('stringData'),
    5: b('immutable', true),
  },
  Namespace: { 1: m('metadata', 'ObjectMeta'), 2: m('spec', 'NamespaceSpec'), 3: m('status', 'Empty') },
  NamespaceSpec: { 1: strings('finalizers') },
  /** A status a client sends is the server's to set: read and left out. */
  Empty: {},
};

/** The kinds a protobuf body may carry, by `apiVersion/kind`. */
const KINDS: Record<string, string> = {
  'batch/v1/Job': 'Job',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/Namespace': 'Namespace',
};

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (this.pos >= this.buf.length || shift > 63n) throw new ProtobufError('truncated varint');
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
    }
  }

  bytes(): Buffer {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw new ProtobufError('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
}

/** A varint as Go's int64 reads it (two's complement), as a JS number. */
const toInt = (v: bigint): number => Number(BigInt.asIntN(64, v));

function scalar(type: Scalar, wire: number, r: Reader): unknown {
  if (type === 'int' || type === 'bool') {
    if (wire !== 0) throw new ProtobufError(`expected a varint, got wire type ${wire}`);
    const v = r.varint();
    return type === 'bool' ? v !== 0n : toInt(v);
  }
  if (wire !== 2) throw new ProtobufError(`expected a length-delimited field, got wire type ${wire}`);
  const raw = r.bytes();
  return type === 'bytes' ? Buffer.from(raw) : raw.toString('utf8');
}

const isEmpty = (v: unknown): boolean => v === '' || v === 0 || v === false;

function value(field: Field, wire: number, r: Reader): unknown {
  if (typeof field.type === 'string') return scalar(field.type, wire, r);
  if (wire !== 2) throw new ProtobufError(`expected a message for ${field.name}, got wire type ${wire}`);
  return message(field.type.msg, r.bytes());
}

function message(name: string, buf: Buffer): Record<string, unknown> {
  const fields = MESSAGES[name];
  const out: Record<string, unknown> = {};
  const r = new Reader(buf);
  while (!r.done) {
    const tag = r.varint();
    const num = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    const field = fields[num];
    if (!field) {
      // Go's generated code writes every non-pointer field, set or not: an empty one is nothing.
      if (skip(wire, r) && name !== 'Empty')
        throw new ProtobufError(`field ${num} of ${name} is not one jobctl reads; send the object as JSON`);
      continue;
    }
    if (field.repeat === 'map') {
      if (wire !== 2) throw new ProtobufError(`expected a map entry for ${field.name}`);
      const entry = new Reader(r.bytes());
      let key = '';
      let val: unknown;
      while (!entry.done) {
        const t = entry.varint();
        const w = Number(t & 7n);
        if (t >> 3n === 1n) key = scalar('string', w, entry) as string;
        else if (t >> 3n === 2n) val = value(field, w, entry);
        else skip(w, entry);
      }
      const map = (out[field.name] ??= {}) as Record<string, unknown>;
      map[key] = val instanceof Buffer ? val.toString('base64') : (val ?? (typeof field.type === 'string' ? '' : {}));
    } else if (field.repeat === 'list') {
      ((out[field.name] ??= []) as unknown[]).push(value(field, wire, r));
    } else {
      const v = value(field, wire, r);
      if (!field.ptr && isEmpty(v)) continue;
      out[field.name] = v;
    }
  }
  return shape(name, out);
}

/** What the JSON form writes differently: times as RFC 3339 (an empty one left out), quantities as strings. */
function shape(name: string, out: Record<string, unknown>): Record<string, unknown> {
  if (name === 'ResourceRequirements') {
    for (const key of ['limits', 'requests']) {
      const q = out[key] as Record<string, { string?: string }> | undefined;
      if (q) out[key] = Object.fromEntries(Object.entries(q).map(([r, v]) => [r, v.string ?? '0']));
    }
  }
  if (name === 'ObjectMeta') {
    for (const key of ['creationTimestamp', 'deletionTimestamp']) {
      const seconds = (out[key] as { seconds?: number } | undefined)?.seconds;
      if (seconds) out[key] = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      else delete out[key];
    }
  }
  return out;
}

/** Steps over a field; says whether it held anything (not a zero varint, not an empty string or message). */
function skip(wire: number, r: Reader): boolean {
  if (wire === 0) return r.varint() !== 0n;
  if (wire === 2) return r.bytes().length > 0;
  if (wire === 1 || wire === 5) {
    const width = wire === 1 ? 8 : 4;
    const held = r.buf.subarray(r.pos, r.pos + width).some((x) => x !== 0);
    r.pos += width;
    return held;
  }
  throw new ProtobufError(`unknown wire type ${wire}`);
}

/** A protobuf request body → the object, as its JSON would have been; throws ProtobufError. */
export function decodeProtobufObject(body: Buffer): ApiObject {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ProtobufError('the body does not start with the Kubernetes protobuf prefix');
  }
  const unknown = message('Unknown', body.subarray(MAGIC.length));
  const typeMeta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const name = KINDS[`${typeMeta.apiVersion}/${typeMeta.kind}`];
  if (!name) {
    throw new ProtobufError(
      `jobctl reads protobuf bodies of ${Object.keys(KINDS).join(', ')}, not ${typeMeta.apiVersion}/${typeMeta.kind}`,
    );
  }
  if (unknown.contentEncoding) throw new ProtobufError(`content encoding ${String(unknown.contentEncoding)}`);
  const object = message(name, (unknown.raw as Buffer | undefined) ?? Buffer.alloc(0));
  delete object.status;
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...object } as ApiObject;
}
