// The tar reader and writer `cp` uses (cli/tar.ts), checked against GNU tar both ways: what we
// write, GNU tar lists and extracts (ustar, a prefix split, GNU long names and links); what GNU tar
// writes (ustar, GNU and PAX long names), we read, fed in pieces of every size.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { END_OF_ARCHIVE, padding, tarHeader, TarReader, type TarHeader } from '../../src/cli/tar.js';

const dir = mkdtempSync(join(tmpdir(), 'jobctl-tar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const longDir = 'd'.repeat(120);
const deepPath = `${'p'.repeat(90)}/${'q'.repeat(90)}/file.txt`; // fits ustar's prefix + name

function entry(name: string, type: TarHeader['type'], data = '', linkname = ''): Buffer[] {
  const body = Buffer.from(data);
  const h = { name, type, mode: 0o640, size: body.length, mtime: 1_700_000_000, uid: 0, gid: 0, linkname };
  return type === 'file' ? [tarHeader(h), body, padding(body.length)] : [tarHeader(h)];
}

/** Reads an archive fed `step` bytes at a time: each entry's header and data. */
function readAll(archive: Buffer, step: number): { h: TarHeader; data: string }[] {
  const out: { h: TarHeader; data: string }[] = [];
  const reader = new TarReader((h) => {
    const e = { h, data: '' };
    out.push(e);
    return { write: (d) => (e.data += d.toString()), end: () => undefined };
  });
  for (let i = 0; i < archive.length; i += step) reader.push(archive.subarray(i, i + step));
  expect(reader.ended).toBe(true);
  return out;
}

describe('tar', () => {
  it('writes what GNU tar reads: short, prefixed and long names, links, an empty directory', () => {
    const archive = Buffer.concat([
      ...entry('top/a.txt', 'file', 'alpha\n'),
      ...entry(`top/${longDir}/b.txt`, 'file', 'beta\n'),
      ...entry(`top/${deepPath}`, 'file', 'deep\n'),
      ...entry('top/empty', 'dir'),
      ...entry('top/link', 'symlink', '', 'a.txt'),
      ...entry('top/longlink', 'symlink', '', `${longDir}/b.txt`),
      END_OF_ARCHIVE,
    ]);
    const file = join(dir, 'ours.tar');
    writeFileSync(file, archive);
    const listed = execFileSync('tar', ['tf', file], { encoding: 'utf8' }).trim().split('\n');
    expect(listed).toEqual([
      'top/a.txt',
      `top/${longDir}/b.txt`,
      `top/${deepPath}`,
      'top/empty', // named as kubectl names it, without a slash: its type says it is a directory
      'top/link',
      'top/longlink',
    ]);
    const out = join(dir, 'out');
    mkdirSync(out);
    execFileSync('tar', ['xf', file, '-C', out]);
    expect(readFileSync(join(out, 'top', longDir, 'b.txt'), 'utf8')).toBe('beta\n');
    expect(readFileSync(join(out, 'top', deepPath), 'utf8')).toBe('deep\n');
    expect(readFileSync(join(out, 'top', 'longlink'), 'utf8')).toBe('beta\n');
    expect(statSync(join(out, 'top', 'empty')).isDirectory()).toBe(true);
    // And reads back what it wrote, in any cut.
    for (const step of [1, 7, 512, 100_000]) {
      const names = readAll(archive, step).map((e) => [e.h.name, e.h.type, e.data, e.h.linkname]);
      expect(names).toEqual([
        ['top/a.txt', 'file', 'alpha\n', ''],
        [`top/${longDir}/b.txt`, 'file', 'beta\n', ''],
        [`top/${deepPath}`, 'file', 'deep\n', ''],
        ['top/empty', 'dir', '', ''],
        ['top/link', 'symlink', '', 'a.txt'],
        ['top/longlink', 'symlink', '', `${longDir}/b.txt`],
      ]);
    }
  });

  it.each(['gnu', 'posix', 'ustar'])('reads what GNU tar writes (--format=%s)', (format) => {
    const src = join(dir, `src-${format}`);
    mkdirSync(join(src, 'sub', format === 'ustar' ? 'x' : longDir), { recursive: true });
    writeFileSync(join(src, 'one.txt'), 'one\n');
    writeFileSync(join(src, 'sub', format === 'ustar' ? 'x' : longDir, 'two.bin'), Buffer.alloc(1500, 9));
    symlinkSync('one.txt', join(src, 'ln'));
    const archive = execFileSync('tar', [`--format=${format}`, '-cf', '-', '-C', src, '--sort=name', '.']);
    const entries = readAll(archive, 333);
    const byName = new Map(entries.map((e) => [e.h.name.replace(/^\.\//, '').replace(/\/$/, ''), e]));
    expect(byName.get('one.txt')?.data).toBe('one\n');
    const two = byName.get(`sub/${format === 'ustar' ? 'x' : longDir}/two.bin`);
    expect(two?.h.size).toBe(1500);
    expect(two?.data).toBe(Buffer.alloc(1500, 9).toString());
    expect(byName.get('ln')).toMatchObject({ h: { type: 'symlink', linkname: 'one.txt' } });
    expect(byName.get('sub')?.h.type).toBe('dir');
  });

  it('refuses a header whose checksum is wrong', () => {
    const bad = Buffer.concat(entry('x', 'file', 'x'));
    bad[0] = 'y'.charCodeAt(0);
    expect(() => new TarReader(() => undefined).push(bad)).toThrow('archive/tar: invalid tar header');
  });
});
