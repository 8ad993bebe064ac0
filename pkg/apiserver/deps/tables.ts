// Table adapter. PLACEHOLDER until pkg/api/tables lands: NAME and AGE only.
import type { KubeObject, ResourceInfo, TableConvertor } from "../../api/types.ts";

export function tableConvertorFor(_info: ResourceInfo): TableConvertor {
  return {
    columns: [
      { name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.", priority: 0 },
      { name: "Age", type: "string", format: "", description: "CreationTimestamp is a timestamp representing the server time when this object was created.", priority: 0 },
    ],
    cells: (obj, now) => [obj.metadata?.name ?? "", age(obj, now)],
  };
}

function age(obj: KubeObject, now: number): string {
  const t = Date.parse(obj.metadata?.creationTimestamp ?? "");
  if (Number.isNaN(t)) return "<unknown>";
  const s = Math.max(0, Math.floor((now - t) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

export function toTable(
  convertor: TableConvertor,
  objs: KubeObject[],
  opts: { now: number; includeObject: "None" | "Metadata" | "Object"; resourceVersion?: string; continue?: string; remainingItemCount?: number; noHeaders?: boolean },
): object {
  const metadata: Record<string, unknown> = {};
  if (opts.resourceVersion !== undefined) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    columnDefinitions: opts.noHeaders ? null : convertor.columns,
    rows: objs.map((o) => {
      const row: Record<string, unknown> = { cells: convertor.cells(o, opts.now) };
      if (opts.includeObject === "Object") row.object = o;
      else if (opts.includeObject === "Metadata") row.object = { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
      return row;
    }),
  };
}
