// LIST with selectors, limit/continue over one snapshot and resourceVersion semantics.
import type { KubeObject } from "../../api/types.ts";
import { badRequest, resourceExpired } from "../../api/errors.ts";
import type { ResourceRequest, Server } from "../context.ts";
import { listPrefix } from "../keys.ts";
import { parseRV, readKV, storageToStatus, tooOld } from "../store.ts";
import { parseSelection } from "../selection.ts";
import { decodeContinue, encodeContinue } from "../continuetoken.ts";
import { contentTypeOf } from "../negotiate.ts";
import { includeObjectOf, partialMetadata, respond } from "../render.ts";
import { tableConvertorFor, toTable } from "../deps/tables.ts";
import { gvString } from "../mutation.ts";
import { waitForRevision } from "./revision.ts";

export interface ListPage {
  items: KubeObject[];
  revision: number;
  continue?: string;
  remainingItemCount?: number;
}

/** Read one page (or everything) of a list request. Also used by deletecollection. */
export async function readList(s: Server, rr: ResourceRequest): Promise<ListPage> {
  const q = rr.query;
  const info = rr.info;
  const sel = parseSelection(info, q);
  const limitText = q.get("limit");
  let limit = 0;
  if (limitText !== null && limitText !== "") {
    if (!/^-?\d+$/.test(limitText)) throw badRequest(`limit: Invalid value: ${JSON.stringify(limitText)}: must be an integer`);
    limit = Math.max(0, Number(limitText));
  }
  const rvText = q.get("resourceVersion") ?? "";
  const rv = parseRV(rvText);
  const match = q.get("resourceVersionMatch") ?? "";
  const cont = q.get("continue") ?? "";
  const prefix = listPrefix(info, rr.namespace);
  let revision: number | undefined;
  let startAfter: string | undefined;
  if (cont) {
    if (rvText !== "" && rvText !== "0") throw badRequest("specifying resource version is not allowed when using continue");
    const t = decodeContinue(cont);
    revision = t.revision;
    startAfter = prefix + t.startAfter;
    if (revision < s.backend.compactRevision())
      throw resourceExpired(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
      );
  } else if (match === "Exact") {
    if (!rv) throw badRequest(`resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "${rvText}"`);
    revision = rv;
  } else if (match === "NotOlderThan") {
    if (rvText === "") throw badRequest(`resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided`);
    if (rv) await waitForRevision(s, rv, rr.req.signal);
  } else if (match !== "") {
    throw badRequest(`resourceVersionMatch: Unsupported value: ${JSON.stringify(match)}: supported values: "Exact", "NotOlderThan"`);
  } else if (rv) {
    // Legacy semantics: an exact snapshot when paginating, otherwise "not older than".
    if (limit > 0) revision = rv;
    else await waitForRevision(s, rv, rr.req.signal);
  }
  if (revision !== undefined && revision > s.backend.currentRevision()) await waitForRevision(s, revision, rr.req.signal);
  if (revision !== undefined && revision < s.backend.compactRevision() && !cont) throw tooOld(revision, s.backend.compactRevision());

  const items: KubeObject[] = [];
  let more = false;
  let remaining = 0;
  let lastKey: string | undefined;
  for (let pages = 0; ; pages++) {
    let r;
    try {
      r = await s.backend.list(prefix, { revision, limit: limit ? limit - items.length : undefined, startAfter });
    } catch (e) {
      throw storageToStatus(e, info, "");
    }
    revision = r.revision;
    for (const kv of r.kvs) {
      lastKey = kv.key;
      const obj = readKV(info, kv);
      if (sel.matches(obj)) {
        delete obj.apiVersion;
        delete obj.kind;
        items.push(obj);
      }
    }
    more = r.more;
    remaining = r.remaining;
    if (!limit || !r.more || items.length >= limit || pages > 10_000) break;
    startAfter = lastKey;
  }
  const page: ListPage = { items, revision: revision! };
  if (limit && more && lastKey) {
    page.continue = encodeContinue(revision!, lastKey.slice(prefix.length));
    if (!sel.active) page.remainingItemCount = remaining;
  }
  return page;
}

export async function handleList(s: Server, rr: ResourceRequest): Promise<Response> {
  const page = await readList(s, rr);
  const metadata: Record<string, unknown> = { resourceVersion: String(page.revision) };
  if (page.continue) metadata.continue = page.continue;
  if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
  const a = rr.accept;
  if (a.type === "table") {
    const t = toTable(tableConvertorFor(rr.info), page.items.map((o) => withType(rr, o)), {
      now: s.now().getTime(),
      includeObject: includeObjectOf(rr.query),
      resourceVersion: String(page.revision),
      continue: page.continue,
      remainingItemCount: page.remainingItemCount,
    });
    return respond(rr, 200, { ...t, apiVersion: `meta.k8s.io/${a.version}` }, contentTypeOf(a));
  }
  if (a.type === "pom") {
    return respond(rr, 200, { kind: "PartialObjectMetadataList", apiVersion: `meta.k8s.io/${a.version}`, metadata, items: page.items.map((o) => partialMetadata(o, a.version)) }, contentTypeOf(a));
  }
  return respond(rr, 200, { kind: rr.info.listKind, apiVersion: gvString(rr.info), metadata, items: page.items });
}

/** Table rows with includeObject=Object carry full objects, with their type. */
const withType = (rr: ResourceRequest, o: KubeObject): KubeObject => ({ apiVersion: gvString(rr.info), kind: rr.info.kind, ...o });
