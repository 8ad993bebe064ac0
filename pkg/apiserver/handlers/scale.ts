// The scale subresource (autoscaling/v1 Scale) of deployments, replicasets, statefulsets and RCs.
import type { KubeObject, ResourceInfo } from "../../api/types.ts";
import { badRequest } from "../../api/errors.ts";
import type { ResourceRequest, Server } from "../context.ts";
import { getObject, guaranteedUpdate } from "../objects.ts";
import { decodeBody, requireObject } from "../codec.ts";
import { parseWriteOptions } from "../writeopts.ts";
import { respond } from "../render.ts";
import { labelSelectorFromSpec } from "../deps/selectors.ts";
import { labelSelectorString } from "../../api/selectors/index.ts";
import { bumpGeneration } from "../strategy.ts";
import { applyPatchTo, readPatch } from "./patch.ts";
import { validateUpdate } from "../deps/validation.ts";
import { invalid } from "../../api/errors.ts";

function selectorOf(obj: KubeObject): string {
  const sel = obj.spec?.selector;
  if (!sel || typeof sel !== "object") return "";
  // ReplicationControllers use a plain map; the apps kinds a LabelSelector.
  if (!("matchLabels" in sel) && !("matchExpressions" in sel))
    return Object.entries(sel as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(",");
  try {
    return labelSelectorString(labelSelectorFromSpec(sel));
  } catch {
    return "";
  }
}

export function scaleOf(obj: KubeObject): KubeObject {
  const m = obj.metadata!;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: selectorOf(obj) },
  };
}

async function writeScale(s: Server, rr: ResourceRequest, info: ResourceInfo, toScale: (current: KubeObject) => KubeObject, dryRun: boolean): Promise<Response> {
  const r = await guaranteedUpdate(s, info, rr.namespace, rr.name!, dryRun, (current) => {
    const scale = toScale(current);
    const replicas = scale.spec?.replicas ?? 0;
    if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0)
      throw invalid({ group: "autoscaling", kind: "Scale" }, rr.name!, [{ type: "FieldValueInvalid", field: "spec.replicas", message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]);
    const next = structuredClone(current);
    next.spec = { ...(next.spec ?? {}), replicas };
    next.metadata!.resourceVersion = scale.metadata?.resourceVersion || undefined;
    bumpGeneration(info, next, current);
    const errs = validateUpdate(info, next, current);
    if (errs.length) throw invalid({ group: info.group, kind: info.kind }, rr.name!, errs);
    return next;
  });
  return respond(rr, 200, scaleOf(r.obj));
}

export async function handleScale(s: Server, rr: ResourceRequest, method: string): Promise<Response> {
  const info = rr.info;
  if (method === "GET") return respond(rr, 200, scaleOf((await getObject(s, info, rr.namespace, rr.name!)).obj));
  const opts = parseWriteOptions(rr.query, rr.req.headers.get("user-agent"));
  if (method === "PUT") {
    // kubectl may send the Scale without a Content-Type.
    const body = await decodeBody(rr.req, ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"], "application/json");
    const scale = requireObject(body.value);
    if (scale.kind !== undefined && scale.kind !== "Scale") throw badRequest(`${scale.kind} in version "v1" cannot be handled as a Scale`);
    if (scale.metadata?.name !== undefined && scale.metadata.name !== rr.name) throw badRequest(`the name of the object (${scale.metadata.name}) does not match the name on the URL (${rr.name})`);
    return writeScale(s, rr, info, () => scale, opts.dryRun);
  }
  const p = await readPatch(rr, info);
  if (p.type === "application/apply-patch+yaml") return writeScale(s, rr, info, (cur) => ({ ...scaleOf(cur), spec: { ...(p.body as KubeObject).spec } }), opts.dryRun);
  return writeScale(s, rr, info, (cur) => {
    const sc = scaleOf(cur);
    const rv = sc.metadata!.resourceVersion;
    const patched = applyPatchTo(info, sc, { ...p, type: p.type === "application/strategic-merge-patch+json" ? "application/merge-patch+json" : p.type });
    // The Scale's own resourceVersion is not a precondition unless the patch set it.
    if (patched.metadata?.resourceVersion === rv) delete patched.metadata!.resourceVersion;
    return patched;
  }, opts.dryRun);
}
