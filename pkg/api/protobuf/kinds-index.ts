// Lookup from "apiVersion/kind" to the schema message that carries it.
import { kindTable } from "./kinds.ts";

const byKey = new Map<string, string>();
for (const [group, version, schemaGroup, kinds] of kindTable) {
  for (const kind of kinds.split(" ")) byKey.set(`${group ? `${group}/` : ""}${version}/${kind}`, `${schemaGroup}.${kind}`);
}
// meta/v1 types: every group-version serves DeleteOptions (client-go sends it in the client's own version).
byKey.set("v1/Status", "meta.Status");
byKey.set("meta.k8s.io/v1/Status", "meta.Status");
byKey.set("v1/List", "meta.List");
byKey.set("meta.k8s.io/v1/DeleteOptions", "meta.DeleteOptions");
for (const [group, version] of kindTable) byKey.set(`${group ? `${group}/` : ""}${version}/DeleteOptions`, "meta.DeleteOptions");

/** Schema message for an apiVersion and kind, or undefined when the pair has no protobuf schema. */
export function messageForKind(apiVersion: string, kind: string): string | undefined {
  const direct = byKey.get(`${apiVersion}/${kind}`);
  if (direct) return direct;
  // DeleteOptions is registered into every served group-version, including ones without other protobuf kinds.
  if (kind === "DeleteOptions" && /^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/.test(apiVersion)) return "meta.DeleteOptions";
  return undefined;
}

export function kindKeys(): string[] {
  return [...byKey.keys()].sort();
}
