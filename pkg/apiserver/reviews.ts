// authentication.k8s.io SelfSubjectReview and authorization.k8s.io SelfSubjectAccessReview:
// create-only, answered from the request's user, never stored.
import { badRequest, methodNotAllowed } from "../api/errors.ts";
import type { Server } from "./context.ts";
import type { UserInfo } from "./types.ts";
import { decodeBody, requireObject } from "./codec.ts";
import { negotiate } from "./negotiate.ts";
import { stringify } from "yaml";

const BODY = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"];

function reply(req: Request, code: number, body: object): Response {
  const yaml = negotiate(req.headers.get("accept"), false).type === "yaml";
  return new Response(yaml ? stringify(body) : JSON.stringify(body), { status: code, headers: { "Content-Type": yaml ? "application/yaml" : "application/json" } });
}

export function isReview(group: string, resource: string): boolean {
  return (group === "authentication.k8s.io" && resource === "selfsubjectreviews") || (group === "authorization.k8s.io" && resource === "selfsubjectaccessreviews");
}

export async function handleReview(s: Server, req: Request, user: UserInfo, group: string, version: string, resource: string): Promise<Response> {
  if (req.method !== "POST") throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  const body = requireObject((await decodeBody(req, BODY)).value);
  const apiVersion = `${group}/${version}`;
  if (resource === "selfsubjectreviews") {
    const userInfo: Record<string, unknown> = { username: user.username, groups: user.groups };
    if (user.uid) userInfo.uid = user.uid;
    if (user.extra && Object.keys(user.extra).length) userInfo.extra = user.extra;
    return reply(req, 201, { kind: "SelfSubjectReview", apiVersion, metadata: { creationTimestamp: null }, status: { userInfo } });
  }
  const spec = body.spec;
  if (!spec || typeof spec !== "object") throw badRequest("spec is required");
  const ra = spec.resourceAttributes;
  const nra = spec.nonResourceAttributes;
  if (!ra === !nra) {
    const e = badRequest(`SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified`);
    e.status.code = 422;
    e.status.reason = "Invalid";
    throw e;
  }
  const attrs = ra
    ? { verb: String(ra.verb ?? ""), group: String(ra.group ?? ""), resource: String(ra.resource ?? ""), subresource: ra.subresource || undefined, namespace: ra.namespace || undefined, name: ra.name || undefined }
    : { verb: String(nra.verb ?? ""), group: "", resource: "", path: String(nra.path ?? "") };
  const r = await s.authorize(user, attrs);
  const status: Record<string, unknown> = { allowed: r.allowed };
  if (r.reason) status.reason = r.reason;
  return reply(req, 201, { kind: "SelfSubjectAccessReview", apiVersion, metadata: { creationTimestamp: null }, spec, status });
}
