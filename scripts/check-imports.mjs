#!/usr/bin/env node
// Keeps each module in its room (STYLE.md): imports point down the dependency order, and each
// third-party package stays in its folder. Fails with one line per violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '..', 'src');

/** Which of our folders each folder may import. */
const ALLOWED = {
  api: [],
  store: ['api'],
  apiserver: ['api', 'store'],
  runtime: ['api'],
  controller: ['api', 'apiserver', 'store', 'runtime'],
  server: ['api', 'apiserver', 'store', 'runtime', 'controller'],
  client: ['api'],
  print: ['api'],
  cli: ['api', 'client', 'print'],
  '.': ['api', 'cli', 'print', 'client', 'server'],
};

/** Where each third-party package may be imported. */
const PACKAGE_HOME = {
  commander: ['cli', '.'],
  chalk: ['print'],
  ora: ['print'],
  'better-sqlite3': ['store'],
  execa: ['client', 'server', 'runtime'],
  yaml: ['api', 'print'],
};

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const problems = [];
for (const file of walk(SRC)) {
  const rel = relative(SRC, file);
  const room = rel.includes('/') ? rel.split('/')[0] : '.';
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const spec = m[1] ?? m[2];
    if (spec.startsWith('.')) {
      const target = relative(SRC, resolve(dirname(file), spec));
      const targetRoom = target.includes('/') ? target.split('/')[0] : '.';
      if (targetRoom !== room && !(ALLOWED[room] ?? []).includes(targetRoom)) {
        problems.push(`${rel}: imports ${spec} (${targetRoom}/), which ${room}/ may not use`);
      }
    } else if (!spec.startsWith('node:')) {
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      const homes = PACKAGE_HOME[pkg];
      if (!homes) problems.push(`${rel}: imports ${pkg}, which has no home in scripts/check-imports.mjs`);
      else if (!homes.includes(room)) problems.push(`${rel}: imports ${pkg}, which belongs in ${homes.join(' or ')}/`);
    }
  }
}
// Controllers write through the API server's registry, never to the store underneath it.
for (const file of walk(join(SRC, 'controller'))) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/\bregistry\.store\b|\bnew Store\(/g)) {
    problems.push(`${relative(SRC, file)}: uses ${m[0]}: a controller goes through the API server's registry`);
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
