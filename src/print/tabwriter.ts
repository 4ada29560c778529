// Go's text/tabwriter, as kubectl uses it: cells end with '\t'; a column's width is set per block
// of consecutive lines that have that cell; the last cell of a line is never padded.

/** Visible width, ignoring ANSI colour codes. */
// eslint-disable-next-line no-control-regex -- ANSI escapes are exactly what is stripped
export const visibleLength = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length;

export function tabwrite(text: string, padding: number, minWidth = 0): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];
  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i];
      let s = '';
      cells.forEach((c, j) => {
        if (j < cells.length - 1 && j < widths.length) s += c + ' '.repeat(Math.max(0, widths[j] - visibleLength(c)));
        else s += c;
      });
      out.push(s);
    }
  };
  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t].length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = minWidth;
      for (; t < line1; t++) {
        if (column >= lines[t].length - 1) break;
        width = Math.max(width, visibleLength(lines[t][column]) + padding);
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
      t--;
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out.join('\n');
}

/**
 * kubectl's `get` table (padding 3, minimum width 6). Widths persist across calls and only grow,
 * as in `get -w`.
 */
export class TablePrinter {
  private widths: number[] = [];

  constructor(
    private readonly padding = 3,
    private readonly minWidth = 6,
  ) {}

  render(rows: string[][]): string {
    for (const row of rows) {
      row.forEach((cell, j) => {
        if (j === row.length - 1) return;
        this.widths[j] = Math.max(this.widths[j] ?? 0, this.minWidth, visibleLength(cell) + this.padding);
      });
    }
    return rows
      .map((row) =>
        row
          .map((cell, j) => (j === row.length - 1 ? cell : cell + ' '.repeat(this.widths[j] - visibleLength(cell))))
          .join(''),
      )
      .map((l) => l + '\n')
      .join('');
  }
}
