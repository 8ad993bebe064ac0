// The API server's Hono application: health, version, discovery, OpenAPI, reviews and the
// registry-driven resource routes, with one error handler rendering Status objects.
import { Hono } from "hono";
import { forbiddenMessage, methodNotAllowed, notFound, StatusError, toStatus, tooManyRequests } from "../api/errors.ts";
import type { ResourceInfo } from "../api/types.ts";
import { versionInfo } from "../util/version.ts";
import type { APIApp, AppDeps, RequestEnv, UserInfo } from "./types.ts";
import type { ResourceRequest, Server } from "./context.ts";
import { parseResourcePath, notFoundPath, type RequestPath } from "./requestinfo.ts";
import { negotiate } from "./negotiate.ts";
import { queryBool } from "./codec.ts";
import { createServiceAllocator } from "./allocator.ts";
import { discoveryPath, discoveryRoot, openapi } from "./discovery.ts";
import { healthChecks, renderHealth } from "./health.ts";
import { handleReview, isReview } from "./reviews.ts";
import { bootstrap } from "./bootstrap.ts";
import { handleGet } from "./handlers/get.ts";
import { handleList } from "./handlers/list.ts";
import { handleWatch } from "./handlers/watch.ts";
import { handleCreate } from "./handlers/create.ts";
import { handleUpdate } from "./handlers/update.ts";
import { handlePatch } from "./handlers/patch.ts";
import { handleDelete } from "./handlers/delete.ts";
import { handleDeleteCollection } from "./handlers/deletecollection.ts";
import { handleScale } from "./handlers/scale.ts";
import { handleBinding } from "./handlers/binding.ts";
import { handleEviction } from "./handlers/eviction.ts";
import { handleConnect } from "./handlers/connect.ts";
import { handleToken } from "./handlers/token.ts";

type Env = { Bindings: RequestEnv };

const allowAll = async () => ({ allowed: true });

function verbOf(method: string, p: RequestPath, q: URLSearchParams): string {
  switch (method) {
    case "GET":
    case "HEAD":
      if (p.watchPath || queryBool(q, "watch")) return "watch";
      return p.name === undefined ? "list" : "get";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return p.name === undefined ? "deletecollection" : "delete";
    default:
      return method.toLowerCase();
  }
}

const notAllowed = () => methodNotAllowed("the server does not allow this method on the requested resource");

function forbiddenFor(user: UserInfo, verb: string, p: RequestPath, reason?: string) {
  const res = p.subresource ? `${p.resource}/${p.subresource}` : p.resource;
  const what = `${p.resource}${p.group ? "." + p.group : ""}${p.name ? ` "${p.name}"` : ""}`;
  const scope = p.namespace ? ` in the namespace "${p.namespace}"` : " at the cluster scope";
  return forbiddenMessage(`${what} is forbidden: User "${user.username}" cannot ${verb} resource "${res}" in API group "${p.group}"${scope}${reason ? `: ${reason}` : ""}`);
}

// Watches and streams hold a request for long; they are not counted against the in-flight limits.
const longRunning = (verb: string, p: RequestPath) => verb === "watch" || (p.subresource !== undefined && ["log", "exec", "attach", "portforward", "proxy"].includes(p.subresource));
const MUTATING = new Set(["create", "update", "patch", "delete", "deletecollection"]);

interface InFlight {
  readOnly: number;
  mutating: number;
}

async function limited(s: Server, inflight: InFlight, verb: string, p: RequestPath, run: () => Promise<Response>): Promise<Response> {
  if (longRunning(verb, p)) return run();
  const mutating = MUTATING.has(verb);
  const max = mutating ? (s.deps.maxMutatingRequestsInFlight ?? 200) : (s.deps.maxRequestsInFlight ?? 400);
  const key = mutating ? "mutating" : "readOnly";
  if (inflight[key] >= max) throw tooManyRequests("Too many requests, please try again later.", 1);
  inflight[key]++;
  try {
    return await run();
  } finally {
    inflight[key]--;
  }
}

async function dispatch(s: Server, inflight: InFlight, req: Request, user: UserInfo, url: URL, p: RequestPath): Promise<Response> {
  const verb = verbOf(req.method, p, url.searchParams);
  return limited(s, inflight, verb, p, () => serve(s, req, user, url, p, verb));
}

async function serve(s: Server, req: Request, user: UserInfo, url: URL, p: RequestPath, verb: string): Promise<Response> {
  const authz = await s.authorize(user, { verb, group: p.group, resource: p.resource, subresource: p.subresource, namespace: p.namespace, name: p.name, path: url.pathname });
  if (!authz.allowed) throw forbiddenFor(user, verb, p, authz.reason);
  if (isReview(p.group, p.resource) && !p.name) return handleReview(s, req, user, p.group, p.version, p.resource);
  const external = s.deps.resourceServers?.[`${p.group}/${p.version}/${p.resource}`];
  if (external) return external({ request: req, user, verb, group: p.group, version: p.version, resource: p.resource, subresource: p.subresource, namespace: p.namespace, name: p.name });
  let info: ResourceInfo | undefined = s.registry.lookup(p.group, p.version, p.resource);
  if (!info) throw notFoundPath();
  if (p.namespace !== undefined && !info.namespaced) throw notFoundPath();
  const rr: ResourceRequest = {
    req,
    url,
    query: url.searchParams,
    user,
    info,
    namespace: info.namespaced ? p.namespace : undefined,
    name: p.name,
    subresource: p.subresource,
    accept: negotiate(req.headers.get("accept"), verb === "list"),
    warnings: [],
  };
  // The "bindings" resource: POST /api/v1/namespaces/<ns>/bindings.
  if (p.group === "" && p.resource === "bindings" && verb === "create" && !p.name) {
    return handleBinding(s, rr, s.registry.lookup("", "v1", "pods")!, undefined);
  }
  if (p.subresource) {
    const sub = info.subresources.find((x) => x.name === p.subresource);
    if (!sub) throw notFoundPath();
    // Proxy takes every method; the other subresources only the verbs discovery lists.
    if (p.subresource !== "proxy" && !sub.verbs.includes(verb)) throw notAllowed();
    switch (p.subresource) {
      case "status":
      case "finalize":
      case "ephemeralcontainers":
      case "resize":
        if (verb === "get") return handleGet(s, rr);
        if (verb === "update") return handleUpdate(s, rr);
        if (verb === "patch") return handlePatch(s, rr);
        throw notAllowed();
      case "scale":
        return handleScale(s, rr, req.method);
      case "binding":
        if (verb !== "create") throw notAllowed();
        return handleBinding(s, rr, info, p.name);
      case "eviction":
        if (verb !== "create") throw notAllowed();
        return handleEviction(s, rr);
      case "log":
      case "exec":
      case "attach":
      case "portforward":
      case "proxy":
        return handleConnect(s, rr, p.proxyPath);
      default: {
        if (p.subresource === "token" && s.deps.signServiceAccountToken && verb === "create") return handleToken(s, rr);
        // Without a signer there is no token subresource.
        const e = notFound({ group: p.group, resource: `${p.resource}/${p.subresource}` }, p.name ?? "");
        e.status.message = `the server could not find the requested resource (${verb} ${p.resource} ${p.name ?? ""})`;
        throw e;
      }
    }
  }
  if (!info.verbs.includes(verb)) throw notAllowed();
  if (p.name === undefined && (verb === "update" || verb === "patch")) throw notAllowed();
  if (p.name !== undefined && verb === "create") throw notAllowed();
  switch (verb) {
    case "get":
      return handleGet(s, rr);
    case "list":
      return handleList(s, rr);
    case "watch":
      return handleWatch(s, rr);
    case "create":
      return handleCreate(s, rr);
    case "update":
      return handleUpdate(s, rr);
    case "patch":
      return handlePatch(s, rr);
    case "delete":
      return handleDelete(s, rr);
    case "deletecollection":
      return handleDeleteCollection(s, rr);
  }
  throw notAllowed();
}

function statusResponse(err: unknown, logger: Server["logger"]): Response {
  const st = toStatus(err);
  if (!(err instanceof StatusError)) logger.error("request failed", { err: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (st.code === 429 || st.code === 504) headers["Retry-After"] = String(st.details?.retryAfterSeconds ?? 1);
  return new Response(JSON.stringify(st), { status: st.code, headers });
}

export function createAPIApp(deps: AppDeps): APIApp {
  const s: Server = {
    deps,
    backend: deps.backend,
    registry: deps.registry,
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
    authorize: deps.authorize ?? allowAll,
    allocator: createServiceAllocator(deps.backend, deps.serviceCIDR, deps.nodePortRange),
    closing: new AbortController(),
    bookmarkIntervalMs: deps.bookmarkIntervalMs ?? 60_000,
  };
  let booted = false;
  const inflight: InFlight = { readOnly: 0, mutating: 0 };
  const checks = healthChecks(s, () => booted);
  const app = new Hono<Env>();

  app.onError((err, _c) => statusResponse(err, s.logger));
  app.notFound(() => statusResponse(notFoundPath(), s.logger));

  for (const kind of ["healthz", "livez", "readyz"] as const) {
    app.get(`/${kind}`, (c) => renderHealth(kind, checks[kind]!, new URL(c.req.url)));
    app.get(`/${kind}/*`, (c) => {
      const url = new URL(c.req.url);
      return renderHealth(kind, checks[kind]!, url, url.pathname.slice(kind.length + 2));
    });
  }
  app.get("/version", () => new Response(JSON.stringify(versionInfo()), { headers: { "Content-Type": "application/json" } }));
  app.get("/openapi/*", (c) => openapi(s.registry, c.req.raw, new URL(c.req.url).pathname));
  app.get("/api", (c) => discoveryRoot(s.registry, "api", c.req.raw));
  app.get("/apis", (c) => discoveryRoot(s.registry, "apis", c.req.raw));

  const resources = async (c: { req: { raw: Request }; env: RequestEnv }) => {
    const req = c.req.raw;
    const url = new URL(req.url);
    const parts = url.pathname.split("/").filter(Boolean);
    if (parts.length === 1 && (parts[0] === "api" || parts[0] === "apis") && req.method === "GET") return discoveryRoot(s.registry, parts[0], req);
    if (req.method === "GET") {
      const d = discoveryPath(s.registry, parts);
      if (d) return d;
    }
    const p = parseResourcePath(url.pathname);
    if (!p) throw notFoundPath();
    const user = c.env?.user;
    if (!user) throw forbiddenMessage("forbidden: no authenticated user");
    return dispatch(s, inflight, req, user, url, p);
  };
  app.all("/api/*", resources);
  app.all("/apis/*", resources);

  return {
    fetch: async (req, env) => app.fetch(req, env),
    async bootstrap() {
      await bootstrap(s);
      booted = true;
    },
    async close() {
      s.closing.abort();
    },
    async authorize(method, url, user) {
      const p = parseResourcePath(url.pathname);
      if (!p) return notFoundPath();
      const verb = verbOf(method, p, url.searchParams);
      const r = await s.authorize(user, { verb, group: p.group, resource: p.resource, subresource: p.subresource, namespace: p.namespace, name: p.name, path: url.pathname });
      return r.allowed ? null : forbiddenFor(user, verb, p, r.reason);
    },
  };
}
