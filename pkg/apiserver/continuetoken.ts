// List continue tokens as upstream encodes them: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}.
import { badRequest } from "../api/errors.ts";

export function encodeContinue(revision: number, lastKeyRelative: string): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: revision, start: lastKeyRelative + "\u0000" })).toString("base64url");
}

export function decodeContinue(token: string): { revision: number; startAfter: string } {
  let parsed: any;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw badRequest("continue key is not valid: illegal base64 data");
  }
  if (!parsed || parsed.v !== "meta.k8s.io/v1") throw badRequest("continue key is not valid: server does not recognize this encoded key version");
  if (typeof parsed.rv !== "number" || !Number.isInteger(parsed.rv) || parsed.rv <= 0) throw badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
  if (typeof parsed.start !== "string" || parsed.start === "") throw badRequest("continue key is not valid: encoded start key empty");
  let start: string = parsed.start;
  if (start.endsWith("\u0000")) start = start.slice(0, -1);
  // The list stays within its own prefix whatever the start key says, so no path checks are needed.
  return { revision: parsed.rv, startAfter: start };
}
