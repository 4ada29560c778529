// The tar format as `cp` needs it, both ways: headers written as ustar (GNU long-name records for
// paths too long for it, as busybox and GNU tar read them), and a streaming reader for what a
// container's `tar cf -` writes (ustar, GNU long names and links, PAX path and size records).

const BLOCK = 512;

export interface TarHeader {
  name: string;
  /** `file`, `dir`, `symlink`, `link` (hard), or `other` (devices, fifos). */
  type: 'file' | 'dir' | 'symlink' | 'link' | 'other';
  mode: number;
  size: number;
  mtime: number;
  uid: number;
  gid: number;
  linkname: string;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

const TYPEFLAG: Record<TarHeader['type'], string> = { file: '0', dir: '5', symlink: '2', link: '1', other: '0' };

function block(h: TarHeader, name: string, typeflag: string, prefix = ''): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(name, 0, 100, 'utf8');
  b.write(octal(h.mode & 0o7777, 8), 100, 'ascii');
  b.write(octal(h.uid, 8), 108, 'ascii');
  b.write(octal(h.gid, 8), 116, 'ascii');
  b.write(octal(h.size, 12), 124, 'ascii');
  b.write(octal(Math.floor(h.mtime), 12), 136, 'ascii');
  b.write('        ', 148, 'ascii');
  b.write(typeflag, 156, 'ascii');
  b.write(h.linkname, 157, 100, 'utf8');
  b.write('ustar\0', 257, 'ascii');
  b.write('00', 263, 'ascii');
  b.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const x of b) sum += x;
  b.write(octal(sum, 7) + ' ', 148, 'ascii');
  return b;
}

/** Zero bytes that pad `size` bytes of data to a whole block. */
export const padding = (size: number): Buffer => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/** Two zero blocks: the end of an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

/** The header block(s) of one entry; its data, then `padding(size)`, follow. */
export function tarHeader(h: TarHeader): Buffer {
  const name = Buffer.from(h.name);
  const typeflag = TYPEFLAG[h.type];
  if (name.length <= 100 && Buffer.byteLength(h.linkname) <= 100) return block(h, h.name, typeflag);
  // ustar's prefix holds up to 155 bytes before the last 100, split at a slash.
  const cut = h.name.lastIndexOf('/', h.name.length - 1);
  if (
    Buffer.byteLength(h.linkname) <= 100 &&
    cut > 0 &&
    Buffer.byteLength(h.name.slice(0, cut)) <= 155 &&
    Buffer.byteLength(h.name.slice(cut + 1)) <= 100
  )
    return block(h, h.name.slice(cut + 1), typeflag, h.name.slice(0, cut));
  const parts: Buffer[] = [];
  const longRecord = (flag: string, value: string) => {
    const data = Buffer.concat([Buffer.from(value), Buffer.alloc(1)]);
    const meta = { ...h, size: data.length, mode: 0o644, linkname: '' };
    parts.push(block(meta, '././@LongLink', flag), data, padding(data.length));
  };
  if (name.length > 100) longRecord('L', h.name);
  if (Buffer.byteLength(h.linkname) > 100) longRecord('K', h.linkname);
  parts.push(block({ ...h, linkname: h.linkname.slice(0, 100) }, h.name.slice(0, 100), typeflag));
  return Buffer.concat(parts);
}

/** A number field: octal text, or GNU's base-256 for large values. */
function readNumber(b: Buffer): number {
  if (b[0] & 0x80) {
    let n = 0;
    for (let i = 1; i < b.length; i++) n = n * 256 + b[i];
    return n;
  }
  const text = b.toString('ascii').replace(/\0.*$/s, '').trim();
  return text ? parseInt(text, 8) : 0;
}

const cString = (b: Buffer): string => {
  const z = b.indexOf(0);
  return b.subarray(0, z < 0 ? b.length : z).toString('utf8');
};

/** PAX records (`LEN key=value\n`...) into a map. */
function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const sp = data.indexOf(0x20, at);
    if (sp < 0) break;
    const len = Number(data.subarray(at, sp).toString('ascii'));
    if (!len) break;
    const record = data.subarray(sp + 1, at + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    at += len;
  }
  return out;
}

export class TarCorrupt extends Error {}

/** What the reader does with an entry's data: a sink for it, or undefined to skip it. */
export type EntrySink = { write(data: Buffer): void; end(): void } | undefined;

/** Reads an archive as it arrives; `onEntry` is called for each entry, in order. */
export class TarReader {
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private pad = 0;
  private sink: EntrySink;
  /** A GNU long name or PAX record being collected, and what it is for. */
  private meta?: { kind: 'L' | 'K' | 'x' | 'g'; chunks: Buffer[] };
  private longName?: string;
  private longLink?: string;
  private pax = new Map<string, string>();
  private done = false;

  constructor(private readonly onEntry: (h: TarHeader) => EntrySink) {}

  get ended(): boolean {
    return this.done;
  }

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (!this.done) {
      if (this.remaining > 0) {
        if (!this.pending.length) return;
        const take = this.pending.subarray(0, Math.min(this.remaining, this.pending.length));
        this.pending = this.pending.subarray(take.length);
        this.remaining -= take.length;
        if (this.meta) this.meta.chunks.push(Buffer.from(take));
        else this.sink?.write(take);
        if (this.remaining === 0) this.finishData();
        continue;
      }
      if (this.pad > 0) {
        const skip = Math.min(this.pad, this.pending.length);
        this.pending = this.pending.subarray(skip);
        this.pad -= skip;
        if (this.pad > 0) return;
        continue;
      }
      if (this.pending.length < BLOCK) return;
      const b = this.pending.subarray(0, BLOCK);
      this.pending = this.pending.subarray(BLOCK);
      this.header(b);
    }
  }

  private header(b: Buffer): void {
    if (b.every((x) => x === 0)) {
      this.done = true;
      return;
    }
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : b[i];
    if (readNumber(b.subarray(148, 156)) !== sum) throw new TarCorrupt('archive/tar: invalid tar header');
    const flag = String.fromCharCode(b[156] || 0x30);
    const size = readNumber(b.subarray(124, 136));
    if (flag === 'L' || flag === 'K' || flag === 'x' || flag === 'g') {
      this.meta = { kind: flag, chunks: [] };
      this.startData(size);
      return;
    }
    const prefix = b.subarray(257, 263).toString('ascii').startsWith('ustar') ? cString(b.subarray(345, 500)) : '';
    const base = cString(b.subarray(0, 100));
    const name = this.pax.get('path') ?? this.longName ?? (prefix ? `${prefix}/${base}` : base);
    const h: TarHeader = {
      name,
      type:
        flag === '5'
          ? 'dir'
          : flag === '2'
            ? 'symlink'
            : flag === '1'
              ? 'link'
              : '07\0'.includes(flag)
                ? 'file'
                : 'other',
      mode: readNumber(b.subarray(100, 108)),
      size: Number(this.pax.get('size') ?? size),
      mtime: readNumber(b.subarray(136, 148)),
      uid: readNumber(b.subarray(108, 116)),
      gid: readNumber(b.subarray(116, 124)),
      linkname: this.pax.get('linkpath') ?? this.longLink ?? cString(b.subarray(157, 257)),
    };
    this.longName = this.longLink = undefined;
    this.pax = new Map();
    this.sink = this.onEntry(h);
    this.startData(h.type === 'file' || h.type === 'other' ? h.size : 0);
  }

  private startData(size: number): void {
    this.remaining = size;
    this.pad = padding(size).length;
    if (size === 0) this.finishData();
  }

  private finishData(): void {
    if (this.meta) {
      const data = Buffer.concat(this.meta.chunks);
      if (this.meta.kind === 'L') this.longName = cString(data);
      else if (this.meta.kind === 'K') this.longLink = cString(data);
      else if (this.meta.kind === 'x') this.pax = paxRecords(data);
      this.meta = undefined;
      return;
    }
    this.sink?.end();
    this.sink = undefined;
  }
}
