// YAML text as kubectl prints it. A module of its own, imported statically, so that the yaml
// package loads only for -o yaml (and a bundler resolves its CommonJS exports by name).
import { stringify } from 'yaml';

export function yamlText(value: unknown): string {
  return stringify(value, { indentSeq: false, lineWidth: 0, version: '1.1' });
}
