// Waiting on one object through list+watch (what kubectl's wait, rollout status and
// delete --wait do): the predicate sees each state; `undefined` means the object is gone.
import { StatusError } from "../api/errors.ts";
import type { Ctx } from "./ctx.ts";
import type { ApiResource } from "./discovery.ts";
import { pathFor, query } from "./paths.ts";
import { watchEvents } from "./watch.ts";

export class WaitTimeout extends Error {}

/** Resolves with the state that satisfied `done`; rejects with WaitTimeout after `timeoutMs`. */
export async function waitForObject(
  ctx: Ctx,
  res: ApiResource,
  ns: string | undefined,
  name: string,
  done: (obj: any | undefined) => boolean,
  timeoutMs: number,
): Promise<any | undefined> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const fs = `metadata.name=${name}`;
  try {
    for (let attempt = 0; attempt < 10_000 && !ac.signal.aborted; attempt++) {
      const list: any = await ctx.conn.client.request("GET", pathFor(res, ns) + query({ fieldSelector: fs }), undefined, { signal: ac.signal });
      let cur = list.items?.[0];
      if (done(cur)) return cur;
      const secs = Math.max(1, Math.ceil(timeoutMs / 1000));
      const q = query({ watch: "true", fieldSelector: fs, resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: "true", timeoutSeconds: Math.min(secs, 300) });
      const r = await ctx.conn.raw("GET", pathFor(res, ns) + q, "application/json", ac.signal);
      for await (const ev of watchEvents(r)) {
        if (ev.type === "ERROR") {
          if ((ev.object as any)?.code === 410) break;
          throw new StatusError(ev.object);
        }
        if (ev.type === "BOOKMARK") continue;
        cur = ev.type === "DELETED" ? undefined : ev.object;
        if (done(cur)) return cur;
      }
    }
    throw new WaitTimeout("timed out");
  } catch (e) {
    if (ac.signal.aborted) throw new WaitTimeout("timed out");
    throw e;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
}
