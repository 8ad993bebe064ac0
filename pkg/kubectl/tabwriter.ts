// Go's text/tabwriter as kubectl configures it (minwidth 6, padding 3, spaces): every cell
// but a line's last is padded to its column's widest cell plus 3, and at least 6.
export function tabwrite(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) {
    for (let i = 0; i < r.length - 1; i++) widths[i] = Math.max(widths[i] ?? 0, Math.max(6, [...r[i]!].length + 3));
  }
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c + " ".repeat(widths[i]! - [...c].length) : c)).join("") + "\n").join("");
}
