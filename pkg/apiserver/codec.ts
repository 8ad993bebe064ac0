// Request bodies (JSON, YAML, protobuf) and query-string helpers.
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments } from "yaml";
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from "../api/errors.ts";
import type { KubeObject } from "../api/types.ts";
import { scanJSON } from "./jsonscan.ts";
import { decodeProtobuf } from "./deps/protobuf.ts";

export const MAX_BODY_BYTES = 3 * 1024 * 1024;
/** Upstream's decoders refuse deeper documents (sigs.k8s.io/json uses 10000); we are stricter. */
export const MAX_DEPTH = 1000;

export interface DecodedBody {
  value: unknown;
  /** Duplicate keys found in JSON/YAML input (for fieldValidation). */
  duplicates: string[];
  mediaType: string;
}

export function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

export async function readBody(req: Request): Promise<Uint8Array> {
  const len = Number(req.headers.get("content-length") ?? "0");
  if (len > MAX_BODY_BYTES) throw requestEntityTooLarge();
  if (!req.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw requestEntityTooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

export function parseJSONText(text: string): { value: unknown; duplicates: string[] } {
  let scan;
  try {
    scan = scanJSON(text, MAX_DEPTH);
  } catch (e) {
    throw badRequest(`the request body is nested too deeply: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw badRequest(`invalid JSON in request body: ${(e as Error).message}`);
  }
  return { value, duplicates: scan.duplicates };
}

function depthOf(v: unknown, limit: number): number {
  // Iterative so hostile input cannot overflow the stack.
  let max = 0;
  const stack: Array<[unknown, number]> = [[v, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (x === null || typeof x !== "object") continue;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const c of Array.isArray(x) ? x : Object.values(x)) stack.push([c, d + 1]);
  }
  return max;
}

export function parseYAMLText(text: string): { value: unknown; duplicates: string[] } {
  // JSON is YAML: use the JSON path for it (exact numbers, duplicate detection).
  const t = text.trimStart();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return parseJSONText(text);
    } catch {
      /* fall through: flow-style YAML */
    }
  }
  let docs;
  try {
    docs = parseAllDocuments(text, { uniqueKeys: false, prettyErrors: false });
  } catch (e) {
    throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
  }
  const list = Array.isArray(docs) ? docs : [docs];
  const real = list.filter((d) => d.contents !== null);
  if (real.length > 1) throw badRequest("error converting YAML to JSON: only one YAML document is allowed in a request body");
  const doc = real[0] ?? list[0];
  if (!doc) return { value: null, duplicates: [] };
  if (doc.errors.length) throw badRequest(`error converting YAML to JSON: ${doc.errors[0]!.message}`);
  let value: unknown;
  try {
    // maxAliasCount stops "billion laughs" expansion.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
  }
  if (depthOf(value, MAX_DEPTH) > MAX_DEPTH) throw badRequest(`error converting YAML to JSON: exceeded max depth of ${MAX_DEPTH}`);
  // Re-serialize to catch values JSON cannot carry (e.g. size blow-up through aliases).
  const json = JSON.stringify(value ?? null);
  if (json.length > MAX_BODY_BYTES * 4) throw requestEntityTooLarge();
  return { value, duplicates: yamlDuplicates(doc.contents) };
}

/** Keys that appear twice in one YAML mapping, as "metadata.name" paths (the depth is already bounded). */
function yamlDuplicates(root: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown, path: string) => {
    if (isAlias(node)) return;
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const p = path ? `${path}.${k}` : k;
        if (seen.has(k)) out.push(p);
        seen.add(k);
        walk(pair.value, p);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, `${path}[${i}]`));
  };
  walk(root, "");
  return out;
}

const JSON_TYPES = new Set(["application/json", "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"]);

/** Decode a body by Content-Type. `defaultType` applies when the header is absent (PUT /scale). */
export async function decodeBody(req: Request, allowed: string[], defaultType = "application/json"): Promise<DecodedBody> {
  const mediaType = mediaTypeOf(req.headers.get("content-type")) || defaultType;
  if (!allowed.includes(mediaType)) throw unsupportedMediaType(mediaType);
  const bytes = await readBody(req);
  if (bytes.byteLength === 0) throw badRequest("the request body is empty");
  if (mediaType === "application/vnd.kubernetes.protobuf") {
    return { value: await decodeProtobuf(bytes), duplicates: [], mediaType };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badRequest("the request body is not valid UTF-8");
  }
  const r = JSON_TYPES.has(mediaType) ? parseJSONText(text) : parseYAMLText(text);
  return { ...r, mediaType };
}

export function requireObject(v: unknown, what = "object"): KubeObject {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw badRequest(`the request body must be a JSON ${what}`);
  return v as KubeObject;
}

/** Query booleans: true/True/1 as upstream's conversion accepts. */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  return v === "true" || v === "True" || v === "TRUE" || v === "1" || v === "t" || v === "T";
}
