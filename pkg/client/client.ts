// The Client verbs over a Requester; both transports share this file.
import type { KubeObject } from "../api/types.ts";
import { StatusError } from "../api/errors.ts";
import { createRequester, genericStatus, query, resourcePath } from "./request.ts";
import { createWatchStream } from "./watchstream.ts";
import type { Client, DeleteOptions, FetchFn, GVR, PatchType } from "./types.ts";
import { buildCommit, kubunVersion } from "../util/version.ts";

const PATCH_TYPES: Record<PatchType, string> = {
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  json: "application/json-patch+json",
  apply: "application/apply-patch+yaml",
};

function nameOf(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new StatusError(genericStatus(400, "BadRequest", "resource name may not be empty"));
  return name;
}

export interface ClientOptions {
  /** Extra headers on every request (a bearer token). */
  headers?: Record<string, string>;
  /**
   * Sent as User-Agent; the server names the managedFields manager after its first word, so
   * controllers pass e.g. "kube-controller-manager/v1.33.0 (linux/amd64) kubernetes/abc".
   */
  userAgent?: string;
}

/** `kubun/v1.33.0+kubun.dev (linux/amd64) kubernetes/dev`, client-go's format. */
export const defaultUserAgent = (component = "kubun") =>
  `${component}/${kubunVersion} (linux/${process.arch === "x64" ? "amd64" : process.arch}) kubernetes/${buildCommit}`;

function deleteBody(o: DeleteOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: "DeleteOptions", apiVersion: "v1" };
  if (o.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = o.gracePeriodSeconds;
  if (o.propagationPolicy) body.propagationPolicy = o.propagationPolicy;
  if (o.preconditions) body.preconditions = o.preconditions;
  if (o.dryRun) body.dryRun = ["All"];
  return body;
}

/** A Client sending requests to `baseURL` through `fetchFn`. */
export function createClient(baseURL: string, fetchFn: FetchFn, opts: ClientOptions = {}): Client {
  const r = createRequester(baseURL, fetchFn, { "user-agent": opts.userAgent ?? defaultUserAgent(), ...opts.headers });
  const writeQuery = (o: { dryRun?: boolean; fieldManager?: string; fieldValidation?: string } = {}) => ({
    dryRun: o.dryRun ? "All" : undefined,
    fieldManager: o.fieldManager,
    fieldValidation: o.fieldValidation,
  });

  return {
    get: (gvr, name, o = {}) =>
      r.json("GET", resourcePath(gvr, o.namespace, name, o.subresource) + query({ resourceVersion: o.resourceVersion }), undefined, undefined, o.signal),

    list: (gvr, o = {}) =>
      r.json(
        "GET",
        resourcePath(gvr, o.namespace) +
          query({
            labelSelector: o.labelSelector,
            fieldSelector: o.fieldSelector,
            limit: o.limit,
            continue: o.continue,
            resourceVersion: o.resourceVersion,
            resourceVersionMatch: o.resourceVersionMatch,
            timeoutSeconds: o.timeoutSeconds,
          }),
        undefined,
        undefined,
        o.signal,
      ),

    create: (gvr, obj, o = {}) => {
      const ns = o.namespace ?? obj.metadata?.namespace;
      const path = o.subresource ? resourcePath(gvr, ns, o.name ?? nameOf(obj), o.subresource) : resourcePath(gvr, ns);
      return r.json("POST", path + query(writeQuery(o)), obj, undefined, o.signal);
    },

    update: (gvr, obj, o = {}) =>
      r.json("PUT", resourcePath(gvr, o.namespace ?? obj.metadata?.namespace, nameOf(obj), o.subresource) + query(writeQuery(o)), obj, undefined, o.signal),

    updateStatus: (gvr, obj, o = {}) =>
      r.json("PUT", resourcePath(gvr, o.namespace ?? obj.metadata?.namespace, nameOf(obj), "status") + query(writeQuery(o)), obj, undefined, o.signal),

    patch: (gvr, name, type, patch, o = {}) => {
      const ct = PATCH_TYPES[type];
      if (!ct) throw new StatusError(genericStatus(400, "BadRequest", `unknown patch type ${String(type)}`));
      const q = { ...writeQuery(o), force: type === "apply" && o.force ? true : undefined };
      return r.json("PATCH", resourcePath(gvr, o.namespace, name, o.subresource) + query(q), patch, ct, o.signal);
    },

    delete: (gvr, name, o = {}) => r.json("DELETE", resourcePath(gvr, o.namespace, name), deleteBody(o), undefined, o.signal),

    deleteCollection: (gvr, o = {}) =>
      r.json("DELETE", resourcePath(gvr, o.namespace) + query({ labelSelector: o.labelSelector, fieldSelector: o.fieldSelector }), deleteBody(o), undefined, o.signal),

    request: (method, path, body, o = {}) => r.json(method, path, body, o.contentType, o.signal),

    watch: (gvr: GVR, o = {}) => {
      const path =
        resourcePath(gvr, o.namespace) +
        query({
          watch: "true",
          labelSelector: o.labelSelector,
          fieldSelector: o.fieldSelector,
          resourceVersion: o.resourceVersion,
          allowWatchBookmarks: o.allowWatchBookmarks ? "true" : undefined,
          timeoutSeconds: o.timeoutSeconds,
        });
      return createWatchStream((signal) => r.send("GET", path, undefined, signal), o.signal);
    },
  };
}
