// Build-time generator: `bun run pkg/api/schema/generate.ts` rewrites builtin.json, the type graph of
// every served kind, from @kubernetes/client-node's generated models (attributeTypeMap + .d.ts docs)
// plus the types.go facts in facts.ts. Run it again after bumping client-node or adding a kind.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { builtinResources } from "../registry.ts";
import { atomicStructs, fieldFacts, quantityFields, quantityMapFields } from "./facts.ts";
import { metricsTypes } from "./metrics.ts";
import type { FieldSchema, TypeSchema } from "./types.ts";

const modelsDir = join(dirname(Bun.resolveSync("@kubernetes/client-node", import.meta.dir)), "gen", "models");
// An optional argument writes elsewhere (the drift test compares a fresh run with the committed file).
const outFile = process.argv[2] ?? join(import.meta.dir, "builtin.json");

interface Attr {
  name: string;
  baseName: string;
  type: string;
  format: string;
}
interface Model {
  attrs: Attr[];
  doc?: string;
  fieldDocs: Map<string, string>;
  required: string[];
}

const META_TYPES = new Set([
  "ObjectMeta", "ListMeta", "LabelSelector", "LabelSelectorRequirement", "OwnerReference", "ManagedFieldsEntry", "Condition",
  "Status", "StatusDetails", "StatusCause", "DeleteOptions", "Preconditions", "WatchEvent",
]);

const groupPackage = (group: string): string => {
  if (group === "") return "io.k8s.api.core";
  if (group === "meta") return "io.k8s.apimachinery.pkg.apis.meta";
  if (group === "apiextensions.k8s.io") return "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions";
  return `io.k8s.api.${group.split(".")[0]}`;
};

const unescape = (s: string) => s.replace(/\\(['"\\])/g, "$1").trim();

function loadModels(): Map<string, Model> {
  const models = new Map<string, Model>();
  for (const f of readdirSync(modelsDir)) {
    if (!f.endsWith(".d.ts")) continue;
    const cls = f.slice(0, -5);
    const dts = readFileSync(join(modelsDir, f), "utf8");
    const m = /\/\*\*\n\* ([\s\S]*?)\n\*\/\nexport declare class/.exec(dts);
    const fieldDocs = new Map<string, string>();
    const required: string[] = [];
    for (const p of dts.matchAll(/(?:\/\*\*\n\s*\* ((?:(?!\*\/)[\s\S])*?)\n\s*\*\/\n)?\s*'([^']+)'(\??): /g)) {
      if (p[1]) fieldDocs.set(p[2]!, unescape(p[1]));
      if (!p[3]) required.push(p[2]!);
    }
    models.set(cls, { attrs: [], doc: m ? unescape(m[1]!) : undefined, fieldDocs, required });
  }
  return models;
}

async function loadAttrs(models: Map<string, Model>) {
  for (const [cls, model] of models) {
    const mod = await import(join(modelsDir, `${cls}.js`));
    const attrs = mod[cls]?.attributeTypeMap;
    if (Array.isArray(attrs)) model.attrs = attrs;
    else models.delete(cls); // enums and type aliases carry no attributes
  }
}

/** Class name → {group prefix, version, bare name}: "V1Container", "CoreV1EndpointPort", "V2HorizontalPodAutoscaler". */
function splitClass(cls: string) {
  const m = /^([A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)([A-Z]\w*)$/.exec(cls);
  if (!m) return undefined;
  return { prefix: m[1]?.toLowerCase(), version: m[2]!.toLowerCase(), name: m[3]! };
}

const PRIMS: Record<string, FieldType0> = { string: "string", boolean: "boolean", any: "any", Date: "time", V1MicroTime: "time", IntOrString: "int-or-string" };
type FieldType0 = FieldSchema["type"];

async function main() {
  const models = loadModels();
  await loadAttrs(models);
  const defName = new Map<string, string>(); // class → definition name
  const types = new Map<string, TypeSchema>();
  const queue: Array<{ cls: string; group: string }> = [];

  const nameFor = (cls: string, group: string): string => {
    const known = defName.get(cls);
    if (known) return known;
    const parts = splitClass(cls);
    if (!parts) throw new Error(`unexpected model name ${cls}`);
    let pkgGroup = group;
    if (META_TYPES.has(parts.name) && parts.version === "v1") pkgGroup = "meta";
    else if (parts.prefix) pkgGroup = parts.prefix === "core" ? "" : parts.prefix === "apiextensions" ? "apiextensions.k8s.io" : parts.prefix;
    const name = `${groupPackage(pkgGroup)}.${parts.version}.${parts.name}`;
    defName.set(cls, name);
    queue.push({ cls, group: pkgGroup === "meta" ? group : pkgGroup });
    return name;
  };

  const short = (def: string) => def.replace(/^io\.k8s\.(api|apimachinery\.pkg\.apis|apiextensions-apiserver\.pkg\.apis)\./, "");

  const fieldOf = (t: string, format: string, group: string, factKey: string): FieldSchema => {
    const arr = /^Array<(.+)>$/.exec(t);
    if (arr) return { type: "array", items: fieldOf(arr[1]!, format, group, "") };
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(t);
    if (map) {
      if (quantityMapFields.has(factKey)) return { type: "map", additionalProperties: { type: "quantity" } };
      return { type: "map", additionalProperties: fieldOf(map[1]!, format, group, "") };
    }
    if (t === "number") return format === "double" ? { type: "number", format } : { type: "integer", ...(format ? { format } : {}) };
    if (t === "string" && format === "byte") return { type: "bytes", format: "byte" };
    if (t === "string" && quantityFields.has(factKey)) return { type: "quantity" };
    if (t === "Date") return { type: "time", format: format || "date-time" };
    const prim = PRIMS[t];
    if (prim) return { type: prim, ...(format && prim !== "int-or-string" ? { format } : {}) };
    if (!models.has(t)) throw new Error(`unknown model type ${t}`);
    return { type: "object", ref: nameFor(t, group) };
  };

  const roots: Array<{ cls: string; group: string; version: string; kind: string }> = [];
  const kindClass = (group: string, version: string, kind: string): string | undefined => {
    const v = version[0]!.toUpperCase() + version.slice(1);
    const prefix = group === "" ? "Core" : group === "events.k8s.io" ? "Events" : group.split(".")[0]![0]!.toUpperCase() + group.split(".")[0]!.slice(1);
    for (const c of [`${v}${kind}`, `${prefix}${v}${kind}`]) if (models.has(c)) return c;
    return undefined;
  };
  const addRoot = (group: string, version: string, kind: string) => {
    const cls = kindClass(group, version, kind);
    if (cls && !roots.some((r) => r.cls === cls)) roots.push({ cls, group, version, kind });
  };
  for (const r of builtinResources) {
    if (r.group === "metrics.k8s.io") continue;
    addRoot(r.group, r.version, r.kind);
    if (r.verbs.includes("list")) addRoot(r.group, r.version, r.listKind);
    for (const s of r.subresources) if (s.group !== "" || s.version !== "") addRoot(s.group ?? r.group, s.version ?? r.version, s.kind);
  }

  const gvks = new Map<string, Array<{ group: string; version: string; kind: string }>>();
  for (const r of roots) {
    const name = nameFor(r.cls, r.group);
    gvks.set(name, [...(gvks.get(name) ?? []), { group: r.group, version: r.version, kind: r.kind }]);
  }
  for (const cls of ["V1Status", "V1DeleteOptions", "V1WatchEvent"]) nameFor(cls, "meta");
  gvks.set("io.k8s.apimachinery.pkg.apis.meta.v1.Status", [{ group: "", version: "v1", kind: "Status" }]);

  for (let i = 0; i < queue.length; i++) {
    const { cls, group } = queue[i]!;
    const model = models.get(cls)!;
    const name = defName.get(cls)!;
    const properties: Record<string, FieldSchema> = {};
    for (const a of model.attrs) {
      const key = `${short(name)}.${a.baseName}`;
      const f = fieldOf(a.type, a.format, group, key);
      const doc = model.fieldDocs.get(a.name);
      if (doc) f.description = doc;
      Object.assign(f, fieldFacts[key] ?? {});
      properties[a.baseName] = f;
    }
    const t: TypeSchema = { name, properties };
    if (model.doc) t.description = model.doc;
    const req = model.required.map((n) => model.attrs.find((a) => a.name === n)?.baseName ?? n);
    if (req.length) t.required = req;
    if (gvks.has(name)) t.gvk = gvks.get(name);
    if (atomicStructs.has(short(name))) t.structType = "atomic";
    types.set(name, t);
  }
  for (const t of metricsTypes()) types.set(t.name, t);

  const out = [...types.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  writeFileSync(outFile, JSON.stringify(out) + "\n");
  console.log(`wrote ${out.length} types to ${outFile}`);
}

await main();
