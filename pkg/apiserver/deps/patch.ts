// Patch adapter. PLACEHOLDER until pkg/api/patch lands: RFC 7386 merge patch and a basic
// RFC 6902 JSON patch; strategic merge patch is refused until the real module exists.
import { badRequest, invalid, unsupportedMediaType } from "../../api/errors.ts";
import type { SchemaRegistry } from "../../api/schema/types.ts";

export const strategicSupported = false;

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return patch;
  const out: Record<string, unknown> = isObj(doc) ? { ...doc } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

const unescape = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");

export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let root: unknown = structuredClone(doc);
  const fail = (msg: string) => invalid({ group: "", kind: "" }, "", [{ type: "FieldValueInvalid", field: "patch", message: msg }]);
  const walk = (path: string): [any, string] => {
    if (path === "") return [undefined, ""];
    if (!path.startsWith("/")) throw badRequest(`invalid JSON pointer ${JSON.stringify(path)}`);
    const parts = path.slice(1).split("/").map(unescape);
    let cur: any = root;
    for (const p of parts.slice(0, -1)) {
      cur = cur?.[Array.isArray(cur) ? Number(p) : p];
      if (cur === undefined || cur === null || typeof cur !== "object") throw fail(`doc is missing path: ${JSON.stringify(path)}`);
    }
    return [cur, parts[parts.length - 1]!];
  };
  const get = (path: string) => {
    if (path === "") return root;
    const [parent, k] = walk(path);
    const v = parent[k];
    if (v === undefined) throw fail(`doc is missing path: ${JSON.stringify(path)}`);
    return v;
  };
  const remove = (path: string) => {
    const [parent, k] = walk(path);
    if (Array.isArray(parent)) {
      const i = Number(k);
      if (!(i >= 0 && i < parent.length)) throw fail(`doc is missing path: ${JSON.stringify(path)}`);
      return parent.splice(i, 1)[0];
    }
    if (!(k in parent)) throw fail(`doc is missing path: ${JSON.stringify(path)}`);
    const v = parent[k];
    delete parent[k];
    return v;
  };
  const add = (path: string, value: unknown, replace: boolean) => {
    if (path === "") {
      root = value;
      return;
    }
    const [parent, k] = walk(path);
    if (Array.isArray(parent)) {
      const i = k === "-" ? parent.length : Number(k);
      if (!(i >= 0 && i <= parent.length)) throw fail(`index out of bounds in ${JSON.stringify(path)}`);
      if (replace) parent[i] = value;
      else parent.splice(i, 0, value);
    } else {
      if (replace && !(k in parent)) throw fail(`doc is missing key: ${JSON.stringify(path)}`);
      parent[k] = value;
    }
  };
  for (const op of patch) {
    if (!isObj(op) || typeof op.op !== "string" || typeof op.path !== "string") throw badRequest("invalid JSON patch operation");
    switch (op.op) {
      case "add":
        add(op.path, structuredClone(op.value), false);
        break;
      case "replace":
        add(op.path, structuredClone(op.value), true);
        break;
      case "remove":
        remove(op.path);
        break;
      case "move": {
        const v = remove(String(op.from));
        add(op.path, v, false);
        break;
      }
      case "copy":
        add(op.path, structuredClone(get(String(op.from))), false);
        break;
      case "test":
        if (JSON.stringify(get(op.path)) !== JSON.stringify(op.value)) throw fail(`testing value ${JSON.stringify(op.path)} failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return root;
}

export function applyStrategicMergePatch(_doc: unknown, _patch: unknown, _schemas: SchemaRegistry | undefined, _typeName: string): unknown {
  throw unsupportedMediaType("application/strategic-merge-patch+json");
}
