// -o json|yaml|name|jsonpath=… as kubectl prints them: keys sorted, JSON indented by 4,
// several objects wrapped in a v1 List.
import { stringify } from "yaml";
import { renderJSONPath } from "./jsonpath.ts";
import { foldPlainScalars } from "./yamlfold.ts";
import { tabwrite } from "./tabwriter.ts";

export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as any)[k]);
    return out;
  }
  return v;
}

export const toJSON = (v: unknown) => JSON.stringify(sortKeys(v), null, 4) + "\n";

// YAML 1.1 quoting, as go-yaml does: timestamps, "yes"/"on" and numbers-as-strings stay strings.
export const toYAML = (v: unknown) =>
  foldPlainScalars(stringify(sortKeys(v), { version: "1.1", indentSeq: false, lineWidth: 0, singleQuote: false, aliasDuplicateObjects: false }));

/** kubectl hides metadata.managedFields unless --show-managed-fields. */
export function stripManagedFields(obj: any): any {
  if (obj?.metadata?.managedFields) {
    const { managedFields: _, ...meta } = obj.metadata;
    return { ...obj, metadata: meta };
  }
  return obj;
}

export function asList(items: unknown[]): Record<string, unknown> {
  return { apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "" } };
}

export type OutputFormat =
  | { kind: "table"; wide: boolean }
  | { kind: "json" }
  | { kind: "yaml" }
  | { kind: "name" }
  | { kind: "jsonpath"; template: string }
  | { kind: "custom"; columns: Array<{ header: string; path: string }> };

export function parseOutput(o: string | undefined): OutputFormat {
  if (!o) return { kind: "table", wide: false };
  if (o === "wide") return { kind: "table", wide: true };
  if (o === "json" || o === "yaml" || o === "name") return { kind: o };
  const m = /^jsonpath(?:-as-json)?=(.*)$/s.exec(o);
  if (m) return { kind: "jsonpath", template: m[1]! };
  const cc = /^custom-columns=(.*)$/s.exec(o);
  if (cc) {
    const columns = cc[1]!.split(",").map((spec) => {
      const colon = spec.indexOf(":");
      if (colon <= 0) throw new Error(`unexpected custom-columns spec: ${spec}, expected <header>:<json-path-expr>`);
      const path = spec.slice(colon + 1);
      return { header: spec.slice(0, colon), path: path.startsWith("{") ? path : `{${path.startsWith(".") ? path : "." + path}}` };
    });
    return { kind: "custom", columns };
  }
  throw new Error(`unable to match a printer suitable for the output format "${o}", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml`);
}

/** Objects (already carrying apiVersion/kind) in a structured format; `single` prints one object bare. */
export function printObjects(fmt: OutputFormat, objs: any[], single: boolean, nameOf: (o: any) => string): string {
  const doc = single && objs.length === 1 ? objs[0] : asList(objs);
  switch (fmt.kind) {
    case "json":
      return toJSON(doc);
    case "yaml":
      return toYAML(doc);
    case "name":
      return objs.map((o) => nameOf(o) + "\n").join("");
    case "jsonpath":
      return renderJSONPath(fmt.template, doc);
    case "custom": {
      // kubectl's custom-columns printer: tabwriter minwidth 10, padding 3; missing values <none>.
      const rows = objs.map((o) =>
        fmt.columns.map((c) => {
          const v = renderJSONPath(c.path.replace(/^\{(.*)\}$/s, "{range $1}{@}{\",\"}{end}"), o);
          return v ? v.replace(/,$/, "") : "<none>";
        }),
      );
      return tabwrite([fmt.columns.map((c) => c.header), ...rows], 3, 10);
    }
    default:
      throw new Error("not a structured format");
  }
}
