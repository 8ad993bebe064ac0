// Go's text/tabwriter (left-aligned, space padding), including its column blocks: a column
// is aligned only across consecutive lines that have a tab-terminated cell in it. kubectl's
// describers write through one with minwidth 0, padding 2 and flush before event tables.

export function goTabwrite(text: string, padding = 2, minWidth = 0): string {
  const lines = text.split("\n");
  const trailingNewline = text.endsWith("\n");
  if (trailingNewline) lines.pop();
  const cells = lines.map((l) => l.split("\t"));
  const width = (s: string) => [...s].length;
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const line = cells[i]!;
      let s = "";
      line.forEach((c, j) => {
        s += c;
        if (j < widths.length && j < line.length - 1) s += " ".repeat(Math.max(0, widths[j]! - width(c)));
      });
      out.push(s);
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= cells[t]!.length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let w = minWidth;
      for (; t < line1; t++) {
        const line = cells[t]!;
        if (column >= line.length - 1) break;
        w = Math.max(w, width(line[column]!) + padding);
      }
      widths.push(w);
      format(line0, t);
      widths.pop();
      line0 = t;
      t--;
    }
    writeLines(line0, line1);
  };

  format(0, cells.length);
  return out.join("\n") + (trailingNewline ? "\n" : "");
}

/** kubectl's PrefixWriter over a tabwriter: indentation levels of two spaces, flush points. */
export class DescribeWriter {
  private segments: string[] = [""];

  write(level: number, s: string): void {
    this.segments[this.segments.length - 1] += "  ".repeat(level) + s;
  }

  /** Ends the current alignment block (Go's Flush). */
  flush(): void {
    this.segments.push("");
  }

  toString(): string {
    return this.segments.map((s) => goTabwrite(s)).join("");
  }
}
