// PATCH: JSON patch, merge patch, strategic merge patch and server-side apply, with an
// internal retry on storage conflicts (unless the patch pins a resourceVersion).
import type { KubeObject, ResourceInfo } from "../../api/types.ts";
import { badRequest, invalid, StatusError, unsupportedMediaType } from "../../api/errors.ts";
import type { ResourceRequest, Server } from "../context.ts";
import { mediaTypeOf, parseJSONText, parseYAMLText, readBody, queryBool, requireObject } from "../codec.ts";
import { guaranteedUpdate } from "../objects.ts";
import { gvString, prepareUpdate } from "../mutation.ts";
import { parseWriteOptions, type WriteOptions } from "../writeopts.ts";
import { respondObject } from "../render.ts";
import { enforceFieldValidation, typeNameOf, unknownFields } from "../fieldvalidation.ts";
import { checkTypeMeta } from "../objectmeta.ts";
import { schemas } from "../deps/schema.ts";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from "../deps/patch.ts";
import { applyServerSide, ignoredFieldsFor } from "../deps/managedfields.ts";
import { nowRFC3339 } from "../deps/meta.ts";
import { createFromObject } from "./create.ts";

export const PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"];

export interface ParsedPatch {
  type: string;
  body: unknown;
  duplicates: string[];
}

export async function readPatch(rr: ResourceRequest, info: ResourceInfo): Promise<ParsedPatch> {
  const type = mediaTypeOf(rr.req.headers.get("content-type"));
  if (!PATCH_TYPES.includes(type)) throw unsupportedMediaType(type || "(none)");
  // Strategic merge patch needs the kind's schema (upstream: not for custom resources).
  if (type === "application/strategic-merge-patch+json" && !typeNameOf(schemas(), info)) throw unsupportedMediaType(type);
  const bytes = await readBody(rr.req);
  if (bytes.byteLength === 0) throw badRequest("the request body is empty");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badRequest("the request body is not valid UTF-8");
  }
  const parsed = type === "application/apply-patch+yaml" ? parseYAMLText(text) : parseJSONText(text);
  if (type === "application/json-patch+json") {
    if (!Array.isArray(parsed.value)) throw badRequest(`json: cannot unmarshal ${typeof parsed.value} into Go value of type jsonpatch.Patch`);
  } else requireObject(parsed.value, "object");
  return { type, body: parsed.value, duplicates: parsed.duplicates };
}

/**
 * Apply a non-apply patch to the current object (with its resourceVersion, so a JSON patch
 * `test` on it works). A result still carrying the current resourceVersion is unpinned and
 * retried on storage conflicts; one the patch changed is a precondition (409 when stale).
 */
export function applyPatchTo(info: ResourceInfo, current: KubeObject, p: ParsedPatch): KubeObject {
  const doc = structuredClone(current);
  const currentRV = current.metadata?.resourceVersion;
  const out = patchDoc(info, doc, p);
  const obj = requireObject(out, "object after patching");
  if (obj.metadata && currentRV !== undefined && obj.metadata.resourceVersion === currentRV) delete obj.metadata.resourceVersion;
  return obj;
}

function patchDoc(info: ResourceInfo, doc: KubeObject, p: ParsedPatch): unknown {
  let out: unknown;
  switch (p.type) {
    case "application/json-patch+json":
      out = applyJsonPatch(doc, p.body);
      break;
    case "application/merge-patch+json":
      out = applyMergePatch(doc, p.body);
      break;
    default: {
      const sc = schemas();
      out = applyStrategicMergePatch(doc, p.body, sc as any, typeNameOf(sc, info) ?? "");
    }
  }
  return out;
}

function checkIdentity(info: ResourceInfo, patched: KubeObject, current: KubeObject, kind = info.kind) {
  if (patched.apiVersion !== current.apiVersion || patched.kind !== current.kind) checkTypeMeta(info, patched, kind);
  patched.metadata ??= {};
  const m = patched.metadata;
  if (m.name !== current.metadata?.name) throw badRequest(`the name of the object (${m.name}) does not match the name on the URL (${current.metadata?.name})`);
  if (info.namespaced && m.namespace !== current.metadata?.namespace) throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
}

export async function handlePatch(s: Server, rr: ResourceRequest): Promise<Response> {
  const info = rr.info;
  const p = await readPatch(rr, info);
  const apply = p.type === "application/apply-patch+yaml";
  const opts = parseWriteOptions(rr.query, rr.req.headers.get("user-agent"), { managerRequired: apply });
  const force = queryBool(rr.query, "force");
  if (rr.query.has("force") && !apply)
    throw invalid({ group: "meta.k8s.io", kind: "PatchOptions" }, "", [{ type: "FieldValueForbidden", field: "force", message: "Forbidden: may not be specified for non-apply patch" }]);
  const sc = schemas();
  const typeName = typeNameOf(sc, info) ?? "";
  if (apply) {
    const applied = p.body as KubeObject;
    checkTypeMeta(info, applied);
    const unknown = unknownFields(sc, typeName, applied, true);
    enforceFieldValidation(opts.fieldValidation, info, { unknown, duplicates: p.duplicates }, rr.warnings);
    if (applied.metadata?.name !== undefined && applied.metadata.name !== rr.name)
      throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${rr.name})`);
  }
  try {
    const r = await guaranteedUpdate(s, info, rr.namespace, rr.name!, opts.dryRun, (current) => {
      if (apply) return serverSideApply(s, rr, current, p.body as KubeObject, opts, force, typeName);
      const patched = applyPatchTo(info, current, p);
      checkIdentity(info, patched, current);
      const unknown = unknownFields(sc, typeName, patched, true);
      enforceFieldValidation(opts.fieldValidation, info, { unknown, duplicates: p.duplicates }, rr.warnings);
      return prepareUpdate(s, info, patched, current, opts.fieldManager, rr.subresource);
    });
    // Warnings may repeat across retries; keep each once.
    rr.warnings.splice(0, rr.warnings.length, ...new Set(rr.warnings));
    return respondObject(s, rr, 200, r.obj);
  } catch (e) {
    if (apply && !rr.subresource && e instanceof StatusError && e.code === 404 && e.status.details?.name === rr.name && e.status.details?.kind === info.resource) {
      const created = await applyCreate(s, rr, p.body as KubeObject, opts, force, typeName);
      return respondObject(s, rr, 201, created);
    }
    throw e;
  }
}

function serverSideApply(s: Server, rr: ResourceRequest, current: KubeObject, applied: KubeObject, opts: WriteOptions, force: boolean, typeName: string): KubeObject {
  const live = structuredClone(current);
  delete live.metadata!.resourceVersion;
  const merged = applyServerSide({
    live,
    applied: structuredClone(applied),
    manager: opts.fieldManager,
    force,
    schemas: schemas()!,
    typeName,
    apiVersion: gvString(rr.info),
    now: nowRFC3339(s.now().getTime()),
    subresource: rr.subresource,
    ignoredFields: ignoredFieldsFor(rr.info, rr.subresource),
  });
  if (applied.metadata?.resourceVersion) merged.metadata!.resourceVersion = applied.metadata.resourceVersion;
  else delete merged.metadata!.resourceVersion;
  checkIdentity(rr.info, merged, current);
  return prepareUpdate(s, rr.info, merged, current, opts.fieldManager, rr.subresource, true);
}

async function applyCreate(s: Server, rr: ResourceRequest, applied: KubeObject, opts: WriteOptions, force: boolean, typeName: string): Promise<KubeObject> {
  const obj = applyServerSide({
    live: undefined,
    applied: structuredClone(applied),
    manager: opts.fieldManager,
    force,
    schemas: schemas()!,
    typeName,
    apiVersion: gvString(rr.info),
    now: nowRFC3339(s.now().getTime()),
    ignoredFields: ignoredFieldsFor(rr.info, undefined),
  });
  obj.metadata ??= {};
  obj.metadata.name = rr.name;
  if (rr.info.namespaced) obj.metadata.namespace ??= rr.namespace;
  return createFromObject(s, rr, obj, opts, true);
}
