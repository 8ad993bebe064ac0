// Accept header negotiation: JSON, YAML, meta.k8s.io Table and PartialObjectMetadata(List).
import { notAcceptable } from "../api/errors.ts";

export type Negotiated =
  | { type: "json" }
  | { type: "yaml" }
  | { type: "table"; version: "v1" | "v1beta1" }
  | { type: "pom"; version: "v1" | "v1beta1"; list: boolean };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(h: string): MediaRange[] {
  return h
    .split(",")
    .map((part) => {
      const [t, ...ps] = part.split(";");
      const params: Record<string, string> = {};
      for (const p of ps) {
        const eq = p.indexOf("=");
        if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
      }
      return { type: (t ?? "").trim().toLowerCase(), params };
    })
    .filter((m) => m.type !== "");
}

const NOT_ACCEPTABLE = "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf";

/** `list` tells whether the response would be a list (for PartialObjectMetadataList). */
export function negotiate(accept: string | null, list: boolean): Negotiated {
  if (!accept || accept.trim() === "") return { type: "json" };
  for (const m of parseAccept(accept)) {
    const q = m.params.q;
    if (q !== undefined && Number(q) === 0) continue;
    const json = m.type === "application/json" || m.type === "*/*" || m.type === "application/*";
    const as = m.params.as;
    if (as) {
      if (m.type !== "application/json") continue;
      const g = m.params.g;
      const v = m.params.v;
      if (g !== "meta.k8s.io" || (v !== "v1" && v !== "v1beta1")) continue;
      if (as === "Table") return { type: "table", version: v };
      if (as === "PartialObjectMetadata" && !list) return { type: "pom", version: v, list: false };
      if (as === "PartialObjectMetadataList" && list) return { type: "pom", version: v, list: true };
      continue;
    }
    if (json) return { type: "json" };
    if (m.type === "application/yaml") return { type: "yaml" };
  }
  throw notAcceptable(NOT_ACCEPTABLE);
}

export function contentTypeOf(n: Negotiated): string {
  switch (n.type) {
    case "json":
      return "application/json";
    case "yaml":
      return "application/yaml";
    case "table":
      return `application/json;as=Table;v=${n.version};g=meta.k8s.io`;
    case "pom":
      return `application/json;as=${n.list ? "PartialObjectMetadataList" : "PartialObjectMetadata"};v=${n.version};g=meta.k8s.io`;
  }
}
