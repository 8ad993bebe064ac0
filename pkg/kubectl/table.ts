// Server-side Tables (meta.k8s.io/v1 Table) printed the way kubectl's table printer does:
// upper-case headers, wide columns only for -o wide, NAMESPACE with -A, LABELS with
// --show-labels, `kind/name` names when several types are printed.
import { tabwrite } from "./tabwriter.ts";

export interface TableColumn {
  name: string;
  type: string;
  format?: string;
  priority?: number;
}

export interface Table {
  columnDefinitions?: TableColumn[];
  rows?: Array<{ cells: unknown[]; object?: any }>;
}

export interface TableOptions {
  wide?: boolean;
  noHeaders?: boolean;
  /** Prefix NAMESPACE taken from each row's object metadata. */
  withNamespace?: boolean;
  showLabels?: boolean;
  /** `deployment.apps`: names print as `deployment.apps/x`. */
  kindPrefix?: string;
}

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return "<none>";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(",") : "<none>";
}

/** Header and row cells for one table (not yet aligned). */
export function tableRows(t: Table, o: TableOptions): { header: string[]; rows: string[][] } {
  const cols = (t.columnDefinitions ?? []).map((c, i) => ({ c, i })).filter(({ c }) => o.wide || !c.priority);
  const header = cols.map(({ c }) => c.name.toUpperCase());
  if (o.withNamespace) header.unshift("NAMESPACE");
  if (o.showLabels) header.push("LABELS");
  const rows = (t.rows ?? []).map((r) => {
    const cells = cols.map(({ c, i }) => {
      const text = cellText(r.cells[i]);
      return o.kindPrefix && c.format === "name" ? `${o.kindPrefix}/${text}` : text;
    });
    if (o.withNamespace) cells.unshift(r.object?.metadata?.namespace ?? "");
    if (o.showLabels) cells.push(formatLabels(r.object?.metadata?.labels));
    return cells;
  });
  return { header, rows };
}

export function printTable(t: Table, o: TableOptions): string {
  const { header, rows } = tableRows(t, o);
  return tabwrite(o.noHeaders ? rows : [header, ...rows]);
}
