#!/usr/bin/env node
// Builds dist/: src/main.ts and everything it imports, bundled by esbuild into a few ES modules.
// One bundle instead of ~60 modules plus yaml's and commander's own files takes ~60 ms off every
// CLI command's start (two of them in `apply` + `wait`). Each verb, the YAML parser and the server
// are split into chunks loaded only when used. Types are checked by `npm run typecheck`, not here.
// better-sqlite3 stays external: it is a native addon that loads its compiled binding at run time.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
rmSync(resolve(root, 'dist'), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['better-sqlite3'],
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  // Bundled CommonJS packages (yaml, commander) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __jobctlRequire } from 'node:module'; const require = __jobctlRequire(import.meta.url);" },
  logLevel: 'warning',
});
