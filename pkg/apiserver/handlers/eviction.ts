// pods/eviction: delete the pod with the Eviction's DeleteOptions. PodDisruptionBudgets are
// not consulted yet.
import { badRequest } from "../../api/errors.ts";
import type { ResourceRequest, Server } from "../context.ts";
import { decodeBody, requireObject } from "../codec.ts";
import { deleteObject } from "../deletion.ts";
import { respond } from "../render.ts";

export async function handleEviction(s: Server, rr: ResourceRequest): Promise<Response> {
  const body = await decodeBody(rr.req, ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]);
  const ev = requireObject(body.value);
  if (ev.metadata?.name && ev.metadata.name !== rr.name) throw badRequest(`name in URL does not match name in Eviction object`);
  const o = ev.deleteOptions ?? {};
  const dry: unknown[] = Array.isArray(o.dryRun) ? o.dryRun : rr.query.getAll("dryRun");
  await deleteObject(s, rr.info, rr.namespace, rr.name!, {
    gracePeriodSeconds: typeof o.gracePeriodSeconds === "number" ? o.gracePeriodSeconds : undefined,
    propagationPolicy: o.propagationPolicy,
    preconditions: o.preconditions,
    dryRun: dry.length > 0,
  });
  return respond(rr, 201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
}
