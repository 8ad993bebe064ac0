// Custom resource printer columns (apiextensions' tableconvertor): Name plus one column per
// additionalPrinterColumns entry, each a simple JSONPath into the object.
import type { KubeObject, TableColumnDefinition } from "../types.ts";
import { AGE_DESC, nameCol } from "./columns.ts";
import { since } from "./duration.ts";
import type { Printer } from "./types.ts";

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

type Step = { key: string } | { index: number } | { all: true } | { filter: { path: string[]; op: "==" | "!="; value: unknown } };

/** Parse the JSONPath subset printer columns use: .a.b, ['a.b'], [0], [*], [?(@.x=="y")]. */
export function parseJSONPath(expr: string): Step[] {
  let s = expr.trim();
  if (s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1).trim();
  if (s.startsWith("$")) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  const bad = () => new Error(`unrecognized column definition "${expr}"`);
  while (i < s.length) {
    if (s[i] === ".") {
      i++;
      let key = "";
      while (i < s.length && s[i] !== "." && s[i] !== "[") key += s[i++];
      if (key === "") throw bad();
      steps.push({ key });
    } else if (s[i] === "[") {
      const end = s.indexOf("]", i);
      if (end < 0) throw bad();
      let inner = s.slice(i + 1, end);
      // A filter may itself contain "]" only inside quotes; re-scan to the matching ")]".
      if (inner.startsWith("?(")) {
        const close = s.indexOf(")]", i);
        if (close < 0) throw bad();
        inner = s.slice(i + 1, close + 1);
        i = close + 2;
        const m = /^\?\(@((?:\.[^.=!\s]+)+)\s*(==|!=)\s*(.+)\)$/.exec(inner);
        if (!m) throw bad();
        const raw = m[3]!.trim();
        const value = /^["'].*["']$/.test(raw) ? raw.slice(1, -1) : raw === "true" ? true : raw === "false" ? false : Number(raw);
        steps.push({ filter: { path: m[1]!.slice(1).split("."), op: m[2] as "==" | "!=", value } });
        continue;
      }
      i = end + 1;
      if (inner === "*") steps.push({ all: true });
      else if (/^-?\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else if (/^['"].*['"]$/.test(inner)) steps.push({ key: inner.slice(1, -1) });
      else throw bad();
    } else throw bad();
  }
  return steps;
}

export function evalJSONPath(obj: unknown, steps: Step[]): unknown[] {
  let cur: unknown[] = [obj];
  for (const st of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (v === null || typeof v !== "object") continue;
      if ("key" in st) {
        if (!Array.isArray(v) && Object.hasOwn(v as object, st.key)) next.push((v as any)[st.key]);
      } else if ("index" in st) {
        if (Array.isArray(v)) {
          const idx = st.index < 0 ? v.length + st.index : st.index;
          if (idx >= 0 && idx < v.length) next.push(v[idx]);
        }
      } else if ("all" in st) {
        next.push(...(Array.isArray(v) ? v : Object.values(v)));
      } else {
        const items = Array.isArray(v) ? v : [];
        for (const item of items) {
          let x: any = item;
          for (const k of st.filter.path) x = x === null || typeof x !== "object" ? undefined : x[k];
          if ((x === st.filter.value) === (st.filter.op === "==")) next.push(item);
        }
      }
    }
    cur = next;
  }
  return cur;
}

/** cellForJSONValue: typed cells, dates as ages; null when the value is missing or of the wrong type. */
function cell(type: string, value: unknown, now: number): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "integer":
      return typeof value === "number" ? Math.trunc(value) : null;
    case "number":
      return typeof value === "number" ? value : null;
    case "boolean":
      return typeof value === "boolean" ? value : null;
    case "date": {
      if (typeof value !== "string") return null;
      return Number.isNaN(Date.parse(value)) ? "<invalid>" : since(value, now);
    }
    case "string":
      return typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  return null;
}

const DEFAULT_COLUMNS: PrinterColumn[] = [{ name: "Age", type: "date", description: AGE_DESC, jsonPath: ".metadata.creationTimestamp" }];

/** The convertor for a custom resource version; no columns means the default Age column. Throws on an unparsable path. */
export function customColumnsConvertor(columns: PrinterColumn[] | undefined): Printer {
  const cols = columns && columns.length > 0 ? columns : DEFAULT_COLUMNS;
  const paths = cols.map((c) => parseJSONPath(c.jsonPath));
  const defs: TableColumnDefinition[] = [
    nameCol(),
    ...cols.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? "",
      description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
      priority: c.priority ?? 0,
    })),
  ];
  return {
    columns: defs,
    cells: (obj: KubeObject, now: number) => [
      obj.metadata?.name ?? "",
      ...cols.map((c, i) => {
        const found = evalJSONPath(obj, paths[i]!);
        return found.length === 0 ? null : cell(c.type, found[0], now);
      }),
    ],
  };
}
