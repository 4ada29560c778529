'use strict';
// Runs the bundled CLI (dist/jobctl.cjs) from V8's code cache, which the build makes: compiling
// the CLI and the YAML parser is most of what a command adds to Node's own start. A missing or
// rejected cache (another Node version) only costs that time again; the cache is never written here.
// CommonJS, as the bundle is: an ES module entry would start Node's ES module loader (~5-10 ms).
// Run by bin/jobctl, the command; `node bin/jobctl.cjs` works as well.
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { join } = require('node:path');
const vm = require('node:vm');

const dist = join(__dirname, '..', 'dist');
const file = join(dist, 'jobctl.cjs');
let cachedData;
try {
  cachedData = readFileSync(`${file}.codecache`);
} catch {
  /* no cache: compile */
}
const script = new vm.Script(
  `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`,
  { filename: file, cachedData },
);
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, createRequire(file), mod, file, dist);

void mod.exports.main(process.argv).then((code) => {
  // The build runs one command with this set to record what it compiled.
  const out = process.env.JOBCTL_WRITE_CODE_CACHE;
  if (out) {
    writeFileSync(`${out}.tmp`, script.createCachedData());
    renameSync(`${out}.tmp`, out);
  }
  // At once when the output is all with the kernel: a pipe takes 64 KiB before its reader reads,
  // and what Node still holds of a longer output would be lost; it then ends the usual way.
  if (mod.exports.mayExitAtOnce() && process.stdout.writableLength === 0 && process.stderr.writableLength === 0)
    process.exit(code);
  process.exitCode = code;
});
