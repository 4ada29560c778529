// JSON merge patch (RFC 7386) and JSON patch (RFC 6902), as `kubectl patch --type merge|json`
// sends them (strategic merge patch: strategic-merge.ts).

export class PatchError extends Error {}

export type Obj = Record<string, unknown>;

/** A JSON object (not an array, not null): what patches, field sets and kubeconfigs walk. */
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isObj(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(
  doc: unknown,
  segs: string[],
  path: string,
): { parent: Record<string, unknown> | unknown[]; key: string } {
  let cur: unknown = doc;
  for (const s of segs.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isObj(cur)) cur = cur[s];
    else cur = undefined;
    if (cur === undefined) throw new PatchError(`doc is missing path: "${path}"`);
  }
  if (!Array.isArray(cur) && !isObj(cur)) throw new PatchError(`doc is missing path: "${path}"`);
  return { parent: cur, key: segs[segs.length - 1] };
}

function get(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const s of pointer(path)) {
    cur = Array.isArray(cur) ? cur[Number(s)] : isObj(cur) ? cur[s] : undefined;
    if (cur === undefined) throw new PatchError(`doc is missing path: "${path}"`);
  }
  return cur;
}

export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch is a list of operations');
  let doc = structuredClone(target);
  for (const op of ops) {
    if (!isObj(op) || typeof op.op !== 'string' || typeof op.path !== 'string')
      throw new PatchError('each operation needs "op" and "path"');
    const segs = pointer(op.path);
    const set = (value: unknown, insert: boolean) => {
      if (segs.length === 0) {
        doc = structuredClone(value);
        return;
      }
      const { parent, key } = parentOf(doc, segs, op.path as string);
      if (Array.isArray(parent)) {
        const i = key === '-' ? parent.length : Number(key);
        if (!Number.isInteger(i) || i < 0 || i > parent.length)
          throw new PatchError(`index out of range in "${op.path}"`);
        if (insert) parent.splice(i, 0, structuredClone(value));
        else parent[i] = structuredClone(value);
      } else parent[key] = structuredClone(value);
    };
    const remove = () => {
      const { parent, key } = parentOf(doc, segs, op.path as string);
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else {
        if (!(key in parent)) throw new PatchError(`doc is missing path: "${op.path}"`);
        delete parent[key];
      }
    };
    switch (op.op) {
      case 'add':
        set(op.value, true);
        break;
      case 'replace':
        get(doc, op.path);
        set(op.value, false);
        break;
      case 'remove':
        remove();
        break;
      case 'test':
        if (JSON.stringify(get(doc, op.path)) !== JSON.stringify(op.value))
          throw new PatchError(`testing value ${op.path} failed`);
        break;
      case 'copy':
      case 'move': {
        if (typeof op.from !== 'string') throw new PatchError(`"${op.op}" needs "from"`);
        const v = get(doc, op.from);
        if (op.op === 'move') {
          const fs = pointer(op.from);
          const { parent, key } = parentOf(doc, fs, op.from);
          if (Array.isArray(parent)) parent.splice(Number(key), 1);
          else delete parent[key];
        }
        set(v, true);
        break;
      }
      default:
        throw new PatchError(`unknown operation "${op.op}"`);
    }
  }
  return doc;
}
