// GET of one object.
import type { ResourceRequest, Server } from "../context.ts";
import { getObject } from "../objects.ts";
import { respondObject } from "../render.ts";
import { parseRV } from "../store.ts";

export async function handleGet(s: Server, rr: ResourceRequest): Promise<Response> {
  parseRV(rr.query.get("resourceVersion"));
  // Any resourceVersion ("", "0" or N = not older than N) is answered from the latest state.
  const { obj } = await getObject(s, rr.info, rr.namespace, rr.name!);
  return respondObject(s, rr, 200, obj);
}
