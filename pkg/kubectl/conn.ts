// The connection every verb shares: kubeconfig resolution, a JSON Client, raw requests with
// any Accept header (Tables, logs) and the TLS/auth options WebSocket streams need.
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { createClient } from "../client/client.ts";
import { createRequester, type Requester } from "../client/request.ts";
import { loadKubeconfig, type Credentials } from "../client/kubeconfig.ts";
import type { Client } from "../client/types.ts";
import { buildCommit, kubunVersion } from "../util/version.ts";

export const ADMIN_KUBECONFIG = "/etc/kubun/kubun.yaml";

export interface KubectlEnv {
  KUBECONFIG?: string;
  HOME?: string;
  KUBE_EDITOR?: string;
  EDITOR?: string;
}

/** `--kubeconfig`, else $KUBECONFIG (first of a colon list), else the admin kubeconfig when readable, else ~/.kube/config. */
export function resolveKubeconfigPath(flag: string | undefined, env: KubectlEnv, readable = isReadable): string {
  if (flag) return flag;
  if (env.KUBECONFIG) {
    const first = env.KUBECONFIG.split(":").find((p) => p && readable(p));
    return first ?? env.KUBECONFIG.split(":")[0]!;
  }
  if (readable(ADMIN_KUBECONFIG)) return ADMIN_KUBECONFIG;
  return join(env.HOME ?? "/root", ".kube", "config");
}

function isReadable(p: string): boolean {
  try {
    accessSync(p, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export const userAgent = () => `kubectl/${kubunVersion} (linux/${process.arch === "x64" ? "amd64" : process.arch}) kubernetes/${buildCommit}`;

export interface Conn {
  creds: Credentials;
  server: string;
  client: Client;
  /** Sends a request with the given Accept header; rejects with StatusError on non-2xx. */
  raw(method: string, path: string, accept: string, signal?: AbortSignal): Promise<Response>;
  /** Options for a `ws` WebSocket to this server. */
  wsOptions(): { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean; headers: Record<string, string> };
}

export function connect(kubeconfig: string, context?: string): Conn {
  const creds = loadKubeconfig(kubeconfig, context);
  const tls = { ca: creds.ca, cert: creds.cert, key: creds.key, rejectUnauthorized: !creds.insecureSkipTLSVerify };
  const auth: Record<string, string> = creds.token ? { authorization: `Bearer ${creds.token}` } : {};
  const fetchFn = (req: Request) => fetch(req, { tls } as RequestInit);
  const client = createClient(creds.server, fetchFn, { headers: auth, userAgent: userAgent() });
  const requesters = new Map<string, Requester>();
  return {
    creds,
    server: creds.server.replace(/\/+$/, ""),
    client,
    raw(method, path, accept, signal) {
      let r = requesters.get(accept);
      if (!r) {
        r = createRequester(creds.server, fetchFn, { "user-agent": userAgent(), ...auth, accept });
        requesters.set(accept, r);
      }
      return r.send(method, path, undefined, signal);
    },
    wsOptions: () => ({ ...tls, headers: { ...auth, "user-agent": userAgent() } }),
  };
}
