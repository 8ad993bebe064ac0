// DELETE on a collection: delete every object the selectors match, answer with the list.
import type { KubeObject } from "../../api/types.ts";
import { StatusError } from "../../api/errors.ts";
import type { ResourceRequest, Server } from "../context.ts";
import { deleteObject } from "../deletion.ts";
import { respond } from "../render.ts";
import { gvString } from "../mutation.ts";
import { parseDeleteOptions } from "./deleteoptions.ts";
import { readList } from "./list.ts";

export async function handleDeleteCollection(s: Server, rr: ResourceRequest): Promise<Response> {
  const opts = await parseDeleteOptions(rr.req, rr.query);
  rr.query.delete("limit");
  rr.query.delete("continue");
  const page = await readList(s, rr);
  const out: KubeObject[] = [];
  for (const item of page.items) {
    try {
      const r = await deleteObject(s, rr.info, item.metadata?.namespace, item.metadata!.name!, { ...opts, preconditions: undefined });
      const o = r.obj;
      delete o.apiVersion;
      delete o.kind;
      out.push(o);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) continue; // deleted meanwhile
      throw e;
    }
  }
  return respond(rr, 200, { kind: rr.info.listKind, apiVersion: gvString(rr.info), metadata: { resourceVersion: String(s.backend.currentRevision()) }, items: out });
}
