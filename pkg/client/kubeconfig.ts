// Reads the parts of a kubeconfig the HTTPS client needs (current context → server, CA, credentials).
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { parse } from "yaml";

export interface Credentials {
  server: string;
  ca?: string;
  cert?: string;
  key?: string;
  token?: string;
  insecureSkipTLSVerify?: boolean;
  /** The context's namespace, if any. */
  namespace?: string;
}

const b64 = (s: string) => Buffer.from(s, "base64").toString("utf8");

function named(list: unknown, name: string | undefined, what: string): Record<string, any> {
  const arr = Array.isArray(list) ? list : [];
  const hit = arr.find((e: any) => e && e.name === name);
  if (!hit) throw new Error(`kubeconfig: ${what} "${name ?? ""}" not found`);
  return hit;
}

/** `data` fields win over file paths; relative paths are relative to the kubeconfig's folder. */
export function parseKubeconfig(text: string, opts: { path?: string; context?: string } = {}): Credentials {
  const doc = parse(text) ?? {};
  const base = opts.path ? dirname(opts.path) : process.cwd();
  const file = (p: string) => readFileSync(isAbsolute(p) ? p : join(base, p), "utf8");
  const ctxName = opts.context ?? doc["current-context"];
  const ctx = named(doc.contexts, ctxName, "context").context ?? {};
  const cluster = named(doc.clusters, ctx.cluster, "cluster").cluster ?? {};
  const user = ctx.user ? named(doc.users, ctx.user, "user").user ?? {} : {};
  if (!cluster.server) throw new Error(`kubeconfig: cluster "${ctx.cluster}" has no server`);
  const pick = (data: string | undefined, path: string | undefined) => (data ? b64(data) : path ? file(path) : undefined);
  return {
    server: String(cluster.server),
    ca: pick(cluster["certificate-authority-data"], cluster["certificate-authority"]),
    cert: pick(user["client-certificate-data"], user["client-certificate"]),
    key: pick(user["client-key-data"], user["client-key"]),
    token: user.token ?? (user.tokenFile ? file(user.tokenFile).trim() : undefined),
    insecureSkipTLSVerify: cluster["insecure-skip-tls-verify"] === true,
    namespace: ctx.namespace,
  };
}

export function loadKubeconfig(path: string, context?: string): Credentials {
  return parseKubeconfig(readFileSync(path, "utf8"), { path, context });
}
