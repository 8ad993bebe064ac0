// serviceaccounts/token (TokenRequest): claims as upstream's serviceaccount.Claims, signed by AppDeps.
import type { KubeObject } from "../../api/types.ts";
import { badRequest, invalid } from "../../api/errors.ts";
import type { ResourceRequest, Server } from "../context.ts";
import { decodeBody, requireObject } from "../codec.ts";
import { getObject } from "../objects.ts";
import { respond } from "../render.ts";
import { nowRFC3339 } from "../deps/meta.ts";
import { StatusError } from "../../api/errors.ts";

const MIN_EXPIRATION = 600;
const DEFAULT_EXPIRATION = 3600;
const MAX_EXPIRATION = 2 ** 32;

function tokenInvalid(name: string, field: string, message: string) {
  return invalid({ group: "authentication.k8s.io", kind: "TokenRequest" }, name, [{ type: "FieldValueInvalid", field, message }]);
}

export async function handleToken(s: Server, rr: ResourceRequest): Promise<Response> {
  const name = rr.name!;
  const body = requireObject((await decodeBody(rr.req, ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"])).value);
  if (body.kind !== undefined && body.kind !== "TokenRequest") throw badRequest(`${body.kind} is not a TokenRequest`);
  const spec = body.spec ?? {};
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION;
  if (!Number.isInteger(expirationSeconds) || expirationSeconds < MIN_EXPIRATION)
    throw tokenInvalid(name, "spec.expirationSeconds", `Invalid value: ${expirationSeconds}: may not specify a duration less than 10 minutes`);
  if (expirationSeconds > MAX_EXPIRATION) throw tokenInvalid(name, "spec.expirationSeconds", `Invalid value: ${expirationSeconds}: may not specify a duration larger than 2^32 seconds`);
  const { obj: sa } = await getObject(s, rr.info, rr.namespace, name);
  const issuer = s.deps.serviceAccountIssuer ?? `https://kubernetes.default.svc.${s.deps.clusterDomain}`;
  const audiences: string[] = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences : [issuer];
  const now = Math.floor(s.now().getTime() / 1000);
  const exp = now + expirationSeconds;
  const k8s: Record<string, unknown> = { namespace: rr.namespace, serviceaccount: { name, uid: sa.metadata!.uid } };
  const ref = spec.boundObjectRef;
  if (ref) {
    const kinds: Record<string, [string, string, string]> = { Pod: ["", "v1", "pods"], Secret: ["", "v1", "secrets"], Node: ["", "v1", "nodes"] };
    const k = kinds[ref.kind];
    if (!k) throw tokenInvalid(name, "spec.boundObjectRef.kind", `Unsupported value: ${JSON.stringify(ref.kind)}: supported values: "Pod", "Secret", "Node"`);
    const info = s.registry.lookup(k[0], k[1], k[2])!;
    const bound: KubeObject = (await getObject(s, info, info.namespaced ? rr.namespace : undefined, ref.name)).obj;
    if (ref.uid && ref.uid !== bound.metadata?.uid)
      throw new StatusError({ ...badRequest(`the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`).status, code: 409, reason: "Conflict" });
    k8s[ref.kind.toLowerCase()] = { name: bound.metadata!.name, uid: bound.metadata!.uid };
    if (ref.kind === "Pod" && bound.spec?.nodeName) k8s.node = { name: bound.spec.nodeName };
  }
  const claims = { aud: audiences, exp, iat: now, iss: issuer, jti: crypto.randomUUID(), "kubernetes.io": k8s, nbf: now, sub: `system:serviceaccount:${rr.namespace}:${name}` };
  const token = await s.deps.signServiceAccountToken!(claims);
  return respond(rr, 201, {
    kind: "TokenRequest",
    apiVersion: "authentication.k8s.io/v1",
    metadata: { name, namespace: rr.namespace, creationTimestamp: null },
    spec: { audiences, expirationSeconds, boundObjectRef: ref ?? null },
    status: { token, expirationTimestamp: nowRFC3339(exp * 1000) },
  });
}
