// POST: create an object (JSON, YAML or protobuf body).
import type { KubeObject } from "../../api/types.ts";
import { invalid, StatusError } from "../../api/errors.ts";
import type { ResourceRequest, Server } from "../context.ts";
import { decodeBody, requireObject } from "../codec.ts";
import { checkTypeMeta, fillCreateMeta, reconcileNamespace } from "../objectmeta.ts";
import { checkNamespace, createObject } from "../objects.ts";
import { prepareCreate } from "../mutation.ts";
import { checkFields } from "../fieldvalidation.ts";
import { parseWriteOptions } from "../writeopts.ts";
import { schemas } from "../deps/schema.ts";
import { respondObject } from "../render.ts";
import { admitCreate } from "../admission.ts";

export const OBJECT_BODY_TYPES = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];

/** Decode and check a full-object body for the resource of rr. */
export async function decodeObject(rr: ResourceRequest, fieldValidation: "Strict" | "Warn" | "Ignore"): Promise<KubeObject> {
  const body = await decodeBody(rr.req, OBJECT_BODY_TYPES);
  const obj = requireObject(body.value);
  checkTypeMeta(rr.info, obj);
  checkFields(schemas(), fieldValidation, rr.info, obj, body.duplicates, rr.warnings);
  return obj;
}

export async function createFromObject(s: Server, rr: ResourceRequest, obj: KubeObject, opts: { dryRun: boolean; fieldManager: string }, applied = false): Promise<KubeObject> {
  const info = rr.info;
  reconcileNamespace(info, obj, rr.namespace);
  const m = obj.metadata!;
  if (!m.name && !m.generateName)
    throw invalid({ group: info.group, kind: info.kind }, "", [{ type: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" }]);
  // Upstream's storage refuses this with a bare 500 (an object sourced from a GET, not a manifest).
  const rv = m.resourceVersion;
  if (typeof rv === "string" && /^\d+$/.test(rv) && rv !== "0")
    throw new StatusError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "resourceVersion should not be set on objects to be created", reason: "", code: 500 });
  await checkNamespace(s, info, m.namespace, m.name ?? m.generateName ?? "");
  fillCreateMeta(obj, s.now());
  await admitCreate(s, info, obj, opts.dryRun);
  return createObject(s, info, obj, opts.dryRun, (o) => {
    const prepared = prepareCreate(s, info, o, opts.fieldManager, applied);
    if (prepared !== o) Object.assign(o, prepared);
  });
}

export async function handleCreate(s: Server, rr: ResourceRequest): Promise<Response> {
  const opts = parseWriteOptions(rr.query, rr.req.headers.get("user-agent"));
  const obj = await decodeObject(rr, opts.fieldValidation);
  const created = await createFromObject(s, rr, obj, opts);
  return respondObject(s, rr, 201, created);
}
