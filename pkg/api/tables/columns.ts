// Column-definition helpers and the cell formatters shared by many printers.
import type { TableColumnDefinition } from "../types.ts";

export const NAME_DESC =
  "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
export const AGE_DESC =
  "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** col("Ready", "string", "desc") — priority 1 for wide-only columns. */
export function col(name: string, type: string, description: string, priority = 0): TableColumnDefinition {
  return { name, type, format: "", description, priority };
}
export const nameCol = (): TableColumnDefinition => ({ name: "Name", type: "string", format: "name", description: NAME_DESC, priority: 0 });
export const ageCol = (): TableColumnDefinition => col("Age", "string", AGE_DESC);
export const containersCol = () => col("Containers", "string", "Names of each container in the template.", 1);
export const imagesCol = () => col("Images", "string", "Images referenced by each container in the template.", 1);

/** labels.FormatLabels: sorted k=v joined by commas, "<none>" when empty. */
export function formatLabels(m: Record<string, string> | null | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  if (keys.length === 0) return "<none>";
  return keys.map((k) => `${k}=${m![k]}`).join(",");
}

/** Container names and images of a pod template, comma-joined. */
export function containerCells(podSpec: any): [string, string] {
  const cs: any[] = Array.isArray(podSpec?.containers) ? podSpec.containers : [];
  return [cs.map((c) => c?.name ?? "").join(","), cs.map((c) => c?.image ?? "").join(",")];
}

/** "a, b, c + 2 more..." style list truncation used by endpoints, hosts and slices. */
export function listWithMore(list: string[], more: boolean, count: number, max: number, empty: string): string {
  const ret = list.join(",");
  if (more) return `${ret} + ${count - max} more...`;
  return ret === "" ? empty : ret;
}

export const int = (v: unknown): number => (typeof v === "number" ? v : 0);
export const str = (v: unknown): string => (v === undefined || v === null ? "" : String(v));

/** printBoolPtr */
export const boolPtr = (v: unknown): string => (v === undefined || v === null ? "<unset>" : v ? "True" : "False");

const ACCESS_MODES: Array<[string, string]> = [
  ["ReadWriteOnce", "RWO"],
  ["ReadOnlyMany", "ROX"],
  ["ReadWriteMany", "RWX"],
  ["ReadWriteOncePod", "RWOP"],
];
export function accessModes(modes: unknown): string {
  const m: string[] = Array.isArray(modes) ? modes : [];
  return ACCESS_MODES.filter(([k]) => m.includes(k))
    .map(([, v]) => v)
    .join(",");
}
