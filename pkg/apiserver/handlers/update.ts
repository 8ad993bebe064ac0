// PUT: replace an object (or its status / namespace finalizers) with optimistic concurrency.
import { badRequest, notFound } from "../../api/errors.ts";
import type { ResourceRequest, Server } from "../context.ts";
import { guaranteedUpdate } from "../objects.ts";
import { prepareUpdate } from "../mutation.ts";
import { parseWriteOptions } from "../writeopts.ts";
import { respondObject } from "../render.ts";
import { allowCreateOnUpdate } from "../strategy.ts";
import { groupResource } from "../store.ts";
import { createFromObject, decodeObject } from "./create.ts";
import { StatusError } from "../../api/errors.ts";

export async function handleUpdate(s: Server, rr: ResourceRequest): Promise<Response> {
  const info = rr.info;
  const opts = parseWriteOptions(rr.query, rr.req.headers.get("user-agent"));
  const obj = await decodeObject(rr, opts.fieldValidation);
  const m = obj.metadata!;
  if (m.name !== undefined && m.name !== rr.name) throw badRequest(`the name of the object (${m.name}) does not match the name on the URL (${rr.name})`);
  m.name = rr.name;
  if (info.namespaced) {
    if (m.namespace && m.namespace !== rr.namespace) throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    m.namespace = rr.namespace;
  } else delete m.namespace;
  try {
    const r = await guaranteedUpdate(s, info, rr.namespace, rr.name!, opts.dryRun, (current) => {
      // An empty resourceVersion is an unconditional update.
      return prepareUpdate(s, info, structuredClone(obj), current, opts.fieldManager, rr.subresource);
    });
    return respondObject(s, rr, 200, r.obj);
  } catch (e) {
    if (e instanceof StatusError && e.code === 404 && !rr.subresource && allowCreateOnUpdate(info) && !m.resourceVersion) {
      const created = await createFromObject(s, rr, obj, opts);
      return respondObject(s, rr, 201, created);
    }
    if (e instanceof StatusError && e.code === 404 && e.status.details?.name === rr.name) throw notFound(groupResource(info), rr.name!);
    throw e;
  }
}
