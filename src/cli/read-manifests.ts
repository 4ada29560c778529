// `-f` sources: files, directories (their *.yaml, *.yml, *.json), `-` for standard input.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DecodedObject, ManifestError } from '../api/manifest.js';
import { CliError, type Io } from './io.js';

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

async function expand(path: string, recursive: boolean): Promise<string[]> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new CliError(`the path "${path}" does not exist`);
  }
  if (!st.isDirectory()) return [path];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const out: string[] = [];
  for (const e of entries) {
    const p = join(path, e.name);
    if (e.isDirectory()) {
      if (recursive) out.push(...(await expand(p, true)));
    } else if (MANIFEST_EXT.test(e.name)) out.push(p);
  }
  return out;
}

export interface ReadResult {
  objects: DecodedObject[];
  errors: ManifestError[];
}

export async function readManifests(files: string[], io: Io, recursive = false): Promise<ReadResult> {
  if (files.length === 0) throw new CliError('must specify one of -f and -k');
  // The YAML parser loads only for the commands that read manifests.
  const { decodeManifests, MAX_MANIFEST_BYTES, oversizeError } = await import('../api/manifest.js');
  const result: ReadResult = { objects: [], errors: [] };
  for (const f of files) {
    if (f === '-') {
      const text = await io.readStdin();
      const r = decodeManifests('-', text);
      result.objects.push(...r.objects);
      result.errors.push(...r.errors);
      continue;
    }
    for (const path of await expand(f, recursive)) {
      const st = await stat(path);
      if (st.size > MAX_MANIFEST_BYTES) {
        result.errors.push(oversizeError(path));
        continue;
      }
      const r = decodeManifests(path, await readFile(path, 'utf8'));
      result.objects.push(...r.objects);
      result.errors.push(...r.errors);
    }
  }
  return result;
}
