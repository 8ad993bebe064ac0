// Go's text/tabwriter as kubectl configures it (minwidth 6, padding 3, spaces): every cell
// but a line's last is padded to its column's widest cell plus the padding, and at least minWidth.
export function tabwrite(rows: string[][], padding = 3, minWidth = 6, widths: number[] = []): string {
  for (const r of rows) {
    for (let i = 0; i < r.length - 1; i++) widths[i] = Math.max(widths[i] ?? 0, Math.max(minWidth, [...r[i]!].length + padding));
  }
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c + " ".repeat(widths[i]! - [...c].length) : c)).join("") + "\n").join("");
}

/** Column widths of rows already printed, so later rows (watch events) line up with them. */
export function tabWidths(rows: string[][], padding = 3, minWidth = 6): number[] {
  const widths: number[] = [];
  for (const r of rows) for (let i = 0; i < r.length - 1; i++) widths[i] = Math.max(widths[i] ?? 0, Math.max(minWidth, [...r[i]!].length + padding));
  return widths;
}
