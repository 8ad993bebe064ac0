// Parse a resource URL the way apiserver's RequestInfoFactory does:
// /api/v1[/watch][/namespaces/{ns}]/{resource}[/{name}[/{subresource}]] and /apis/{group}/{version}/...
import { badRequest, notFound } from "../api/errors.ts";

export interface RequestPath {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** For .../proxy/<path>: the path after "proxy". */
  proxyPath?: string;
  /** Legacy /watch/ path prefix. */
  watchPath: boolean;
}

// Namespace subresources that are not resources inside the namespace.
const namespaceSubresources = new Set(["status", "finalize"]);

const notFoundPath = () => {
  const e = notFound({ group: "", resource: "" }, "");
  e.status.message = "the server could not find the requested resource";
  e.status.details = {};
  return e;
};

function decodeSegment(s: string): string {
  let d: string;
  try {
    d = decodeURIComponent(s);
  } catch {
    throw badRequest(`invalid path segment ${JSON.stringify(s)}`);
  }
  return d;
}

/** Returns undefined for paths that are not resource paths (discovery etc.). */
export function parseResourcePath(pathname: string): RequestPath | undefined {
  // Keep the raw segments: "%2F" must never turn into a path separator.
  const raw = pathname.split("/").filter((s, i) => i > 0 || s !== "");
  if (raw[0] === "") raw.shift();
  let parts = raw.map(decodeSegment);
  if (parts.length && parts[parts.length - 1] === "") parts = parts.slice(0, -1);
  let group: string, version: string;
  if (parts[0] === "api") {
    if (parts.length < 3) return undefined;
    group = "";
    version = parts[1]!;
    parts = parts.slice(2);
  } else if (parts[0] === "apis") {
    if (parts.length < 4) return undefined;
    group = parts[1]!;
    version = parts[2]!;
    parts = parts.slice(3);
  } else return undefined;
  let watchPath = false;
  if (parts[0] === "watch") {
    watchPath = true;
    parts = parts.slice(1);
  }
  let namespace: string | undefined;
  if (parts[0] === "namespaces" && parts.length > 1) {
    namespace = parts[1];
    if (parts.length > 2 && !namespaceSubresources.has(parts[2]!)) parts = parts.slice(2);
    else namespace = undefined;
  }
  let proxyPath: string | undefined;
  if (parts.length > 3 && parts[2] === "proxy") {
    proxyPath = "/" + parts.slice(3).join("/");
    parts = parts.slice(0, 3);
  }
  if (parts.length === 0 || parts.length > 3) throw notFoundPath();
  for (const p of parts) if (p === "" || p === "." || p === ".." || p.includes("/")) throw notFoundPath();
  if (namespace !== undefined && (namespace === "" || namespace === "." || namespace === ".." || namespace.includes("/"))) throw notFoundPath();
  return { group, version, namespace, resource: parts[0]!, name: parts[1], subresource: parts[2], watchPath, ...(proxyPath !== undefined ? { proxyPath } : {}) };
}

export { notFoundPath };
