// RFC 6902 JSON patch with the behaviour of the library kube-apiserver uses (evanphx/json-patch v4):
// negative array indices count from the end, a replace of a missing object key adds it, and
// failures are 422s carrying the library's message as the cause.
import { requestEntityTooLarge } from "../errors.ts";
import { badRequest, isObject, jsonEqual, setOwn, unprocessable } from "./errors.ts";

const MAX_OPERATIONS = 10000;

type Container = Record<string, unknown> | unknown[];
class OpError extends Error {}

const goKind = (v: unknown) =>
  Array.isArray(v) ? "array" : v === null ? "null" : typeof v === "object" ? "object" : typeof v === "boolean" ? "bool" : typeof v;

function decodeKey(k: string): string {
  return k.replaceAll("~1", "/").replaceAll("~0", "~");
}

function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new OpError(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return Number.parseInt(key, 10);
}

const invalidIndex = (i: number) => new OpError(`Unable to access invalid index: ${i}: invalid index referenced`);

function containerGet(c: Container, key: string): unknown {
  if (!Array.isArray(c)) return Object.hasOwn(c, key) ? c[key] : undefined;
  let i = atoi(key);
  if (i < 0) {
    if (i < -c.length) throw invalidIndex(i);
    i += c.length;
  }
  if (i >= c.length) throw invalidIndex(i);
  return c[i];
}

function containerAdd(c: Container, key: string, val: unknown): void {
  if (!Array.isArray(c)) {
    setOwn(c, key, val);
    return;
  }
  if (key === "-") {
    c.push(val);
    return;
  }
  let i: number;
  try {
    i = atoi(key);
  } catch (e) {
    throw new OpError(`value was not a proper array index: '${key}': ${(e as Error).message}`);
  }
  const size = c.length + 1;
  if (i >= size) throw invalidIndex(i);
  if (i < 0) {
    if (i < -size) throw invalidIndex(i);
    i += size;
  }
  c.splice(i, 0, val);
}

function containerRemove(c: Container, key: string): void {
  if (!Array.isArray(c)) {
    if (!Object.hasOwn(c, key)) throw new OpError(`Unable to remove nonexistent key: ${key}: missing value`);
    delete c[key];
    return;
  }
  let i = atoi(key);
  if (i >= c.length) throw invalidIndex(i);
  if (i < 0) {
    if (i < -c.length) throw invalidIndex(i);
    i += c.length;
  }
  c.splice(i, 1);
}

function containerSet(c: Container, key: string, val: unknown): void {
  if (!Array.isArray(c)) {
    setOwn(c, key, val);
    return;
  }
  let i = atoi(key);
  if (i < 0) {
    if (i < -c.length) throw invalidIndex(i);
    i += c.length;
  }
  c[i] = val;
}

const isContainer = (v: unknown): v is Container => Array.isArray(v) || isObject(v);

/** The parent container of `path` and the decoded last key, or undefined when the parent does not exist. */
function findObject(root: unknown, path: string): { con: Container; key: string } | undefined {
  const split = path.split("/");
  if (split.length < 2 || !isContainer(root)) return undefined;
  let doc: Container = root;
  for (const part of split.slice(1, -1)) {
    let next: unknown;
    try {
      next = containerGet(doc, decodeKey(part));
    } catch {
      return undefined;
    }
    if (!isContainer(next)) return undefined;
    doc = next;
  }
  return { con: doc, key: decodeKey(split[split.length - 1]!) };
}

function field(op: Record<string, unknown>, name: "path" | "from"): string | undefined {
  const v = op[name];
  return typeof v === "string" ? v : undefined;
}

function applyOp(root: { doc: unknown }, op: Record<string, unknown>): void {
  const kind = typeof op.op === "string" ? op.op : "unknown";
  const value = op.value === undefined ? null : op.value;
  const path = field(op, "path");
  switch (kind) {
    case "add": {
      if (path === undefined) throw new OpError("add operation failed to decode path: missing value");
      const t = findObject(root.doc, path);
      if (!t) throw new OpError(`add operation does not apply: doc is missing path: "${path}": missing value`);
      wrap(`error in add for path: '${path}'`, () => containerAdd(t.con, t.key, structuredClone(value)));
      return;
    }
    case "remove": {
      if (path === undefined) throw new OpError("remove operation failed to decode path: missing value");
      const t = findObject(root.doc, path);
      if (!t) throw new OpError(`remove operation does not apply: doc is missing path: "${path}": missing value`);
      wrap(`error in remove for path: '${path}'`, () => containerRemove(t.con, t.key));
      return;
    }
    case "replace": {
      if (path === undefined) throw new OpError("replace operation failed to decode path: operation missing path field: missing value");
      if (path === "") {
        if (!isContainer(value)) throw new OpError("replace operation value must be object or array");
        root.doc = structuredClone(value);
        return;
      }
      const t = findObject(root.doc, path);
      if (!t) throw new OpError(`replace operation does not apply: doc is missing path: ${path}: missing value`);
      try {
        containerGet(t.con, t.key);
      } catch {
        throw new OpError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
      }
      wrap(`error in remove for path: '${path}'`, () => containerSet(t.con, t.key, structuredClone(value)));
      return;
    }
    case "move": {
      const from = field(op, "from");
      if (from === undefined) throw new OpError("move operation failed to decode from: operation, missing from field: missing value");
      const src = findObject(root.doc, from);
      if (!src) throw new OpError(`move operation does not apply: doc is missing from path: ${from}: missing value`);
      const val = wrap(`error in move for path: '${src.key}'`, () => containerGet(src.con, src.key));
      wrap(`error in move for path: '${src.key}'`, () => containerRemove(src.con, src.key));
      if (path === undefined) throw new OpError("move operation failed to decode path: operation missing path field: missing value");
      const dst = findObject(root.doc, path);
      if (!dst) throw new OpError(`move operation does not apply: doc is missing destination path: ${path}: missing value`);
      wrap(`error in move for path: '${path}'`, () => containerAdd(dst.con, dst.key, val === undefined ? null : val));
      return;
    }
    case "copy": {
      const from = field(op, "from");
      if (from === undefined) throw new OpError("copy operation failed to decode from: operation, missing from field: missing value");
      const src = findObject(root.doc, from);
      if (!src) throw new OpError(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
      const val = wrap(`error in copy for from: '${from}'`, () => containerGet(src.con, src.key));
      if (path === undefined) throw new OpError("copy operation failed to decode path: missing value");
      const dst = findObject(root.doc, path);
      if (!dst) throw new OpError(`copy operation does not apply: doc is missing destination path: ${path}: missing value`);
      wrap("error while adding value during copy", () => containerAdd(dst.con, dst.key, structuredClone(val === undefined ? null : val)));
      return;
    }
    case "test": {
      if (path === undefined) throw new OpError("test operation failed to decode path: operation missing path field: missing value");
      const failed = () => new OpError(`testing value ${path} failed: test failed`);
      if (path === "") {
        if (!jsonEqual(root.doc, value)) throw failed();
        return;
      }
      const t = findObject(root.doc, path);
      if (!t) throw new OpError(`test operation does not apply: is missing path: ${path}: missing value`);
      const val = wrap(`error in test for path: '${path}'`, () => containerGet(t.con, t.key));
      if (val === undefined || val === null) {
        if (value === null) return;
        throw failed();
      }
      if (!jsonEqual(val, value)) throw failed();
      return;
    }
    default:
      throw new OpError(`Unexpected kind: ${kind}`);
  }
}

function wrap<T>(prefix: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof OpError) throw new OpError(`${prefix}: ${e.message}`);
    throw e;
  }
}

/** Apply an RFC 6902 patch to a copy of `doc`; the input is never mutated. */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (patch === null) return structuredClone(doc);
  if (!Array.isArray(patch)) throw badRequest(`json: cannot unmarshal ${goKind(patch)} into Go value of type jsonpatch.Patch`);
  for (const op of patch) {
    if (!isObject(op) && op !== null) throw badRequest(`json: cannot unmarshal ${goKind(op)} into Go value of type jsonpatch.Operation`);
  }
  if (patch.length > MAX_OPERATIONS) {
    throw requestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_OPERATIONS}, got ${patch.length}`);
  }
  const root = { doc: structuredClone(doc) };
  for (const op of patch) {
    try {
      applyOp(root, (op ?? {}) as Record<string, unknown>);
    } catch (e) {
      if (e instanceof OpError) throw unprocessable(e.message);
      throw e;
    }
  }
  return root.doc;
}
