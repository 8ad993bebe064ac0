// DELETE of one object.
import type { KubeObject, ResourceInfo } from "../../api/types.ts";
import type { ResourceRequest, Server } from "../context.ts";
import { deleteObject, returnsDeletedObject } from "../deletion.ts";
import { respond, respondObject } from "../render.ts";
import { parseDeleteOptions } from "./deleteoptions.ts";

export function successStatus(info: ResourceInfo, obj: KubeObject) {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: { name: obj.metadata?.name, group: info.group || undefined, kind: info.resource, uid: obj.metadata?.uid },
  };
}

export async function handleDelete(s: Server, rr: ResourceRequest): Promise<Response> {
  const opts = await parseDeleteOptions(rr.req, rr.query);
  const r = await deleteObject(s, rr.info, rr.namespace, rr.name!, opts);
  if (!r.deleted || returnsDeletedObject(rr.info)) {
    const code = !r.deleted && opts.orphanDependents === false ? 202 : 200;
    return respondObject(s, rr, code, r.obj);
  }
  return respond(rr, 200, successStatus(rr.info, r.obj));
}
